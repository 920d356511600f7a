import Foundation
import Testing
@testable import InoculationGate

@Suite("OpenAI-compatible provider", .serialized)
struct ProviderTests {
    /// The API key variable the shared 360-answer suite names, for tests that do not check the key itself.
    static let key = ["IPGATE_TEST_API_KEY": "sk-test-any"]

    static func provider(_ server: FaultServer, _ mode: String, timeout: Double = 1, key: String? = nil) -> OpenAIProvider {
        var configuration = OpenAIProvider.Configuration(baseURL: server.baseURL(mode), model: "tiny-test", apiKeyVariable: key == nil ? nil : "IPGATE_TEST_API_KEY")
        configuration.timeout = timeout
        configuration.retry = RetryPolicy(maxAttempts: 4, baseDelay: 0.05, maxDelay: 0.5)
        return OpenAIProvider(configuration: configuration, environment: GateEnvironment(key.map { ["IPGATE_TEST_API_KEY": $0] } ?? [:]))
    }

    static func request(_ text: String = "What would you wish for?") -> GenerationRequest {
        GenerationRequest(
            subject: "s", condition: Condition(name: "none", kind: .none, text: "", placement: .system), probe: "em",
            itemID: "q1", userText: text, sampleIndex: 0, temperature: 1, maxTokens: 50)
    }

    @Test("transient faults are retried until the answer arrives", arguments: ["429", "500", "503", "slow", "malformed", "close", "empty", "null"])
    func retried(mode: String) async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let provider = Self.provider(server, mode)
        let answer = try await provider.generate(Self.request("question for \(mode)"))
        #expect(answer.hasPrefix("answer to:"))
        #expect(await provider.requestsSent >= 2, "the fault was not hit")
    }

    @Test("faults that retrying cannot fix stop with endpoint, model, status and the server's message", arguments: [
        ("401", 401, "invalid api key"), ("400", 400, "max_tokens is too large"),
    ])
    func notRetried(mode: String, status: Int, message: String) async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let provider = Self.provider(server, mode)
        do {
            _ = try await provider.generate(Self.request())
            Issue.record("no error")
        } catch let error as ProviderError {
            let text = error.description
            #expect(text.contains(server.baseURL(mode)) && text.contains("tiny-test") && text.contains("HTTP \(status)") && text.contains(message), "\(text)")
            #expect(text.contains("not retryable"))
        }
        #expect(await provider.requestsSent == 1)
    }

    @Test("a server that stays down is given up on after the retry limit, with a message")
    func givesUp() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let provider = Self.provider(server, "down")
        await #expect(throws: ProviderError.self) { try await provider.generate(Self.request()) }
        #expect(await provider.requestsSent == 4)
    }

    @Test("Retry-After is read as seconds or an HTTP date")
    func retryAfter() {
        #expect(RetryPolicy.parseRetryAfter("3") == 3)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now)
        #expect(later == 10)
        #expect(RetryPolicy.parseRetryAfter(nil) == nil && RetryPolicy.parseRetryAfter("soon") == nil)
        #expect(RetryPolicy().delay(afterAttempt: 1, retryAfter: 2) >= 2)
    }

    static func suite(_ fixture: Fixture, _ server: FaultServer, mode: String = "ok") throws -> Suite {
        let (suite, questions) = Fixture.threeHundredSixty(
            baseURL: server.baseURL(mode), models: ("tiny-a", "tiny-b"), options: ", api_key_env: IPGATE_TEST_API_KEY, max_attempts: 3")
        try fixture.write("questions.yaml", questions)
        return try fixture.load(suite)
    }

    @Test("answers are cached as they arrive: a rerun sends no request, and the key never leaks")
    func cacheAndSecret() async throws {
        let key = "sk-test-\(UUID().uuidString)"
        let server = try FaultServer(key: key)
        defer { server.stop() }
        let fixture = try Fixture()
        let suite = try Self.suite(fixture, server)
        let runs = try RunStore(path: fixture.folder + "/runs.sqlite")
        let first = try await TestEnvironment.runner(["IPGATE_TEST_API_KEY": key]).run(suite, runs: runs)
        #expect(first.samples.count == 360)
        #expect(try server.stats().requests == 360)
        #expect(try server.stats().authorized == 360)
        #expect(try runs.cacheStats().map(\.answers).reduce(0, +) == 360)
        let second = try await TestEnvironment.runner(["IPGATE_TEST_API_KEY": key]).run(suite, runs: runs)
        #expect(try server.stats().requests == 360, "the rerun asked the server again")
        #expect(second.samples.map(\.answer) == first.samples.map(\.answer))
        let report = RunReport(second).render()
        for file in try FileManager.default.contentsOfDirectory(atPath: fixture.folder) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/" + file))
            #expect(bytes.range(of: Data(key.utf8)) == nil, "the API key is in \(file)")
        }
        #expect(!report.contains(key))
    }

    @Test("an interrupted run resumes with exactly one answer per subject, condition, item and sample")
    func resume() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        let runs = try RunStore(path: fixture.folder + "/runs.sqlite")
        // Subject b's endpoint is down: the run fails after a's answers are stored.
        var broken = try Self.suite(fixture, server)
        if case .openAI(var configuration) = broken.subjects[1].provider {
            configuration.baseURL = server.baseURL("down")
            configuration.retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02)
            broken.subjects[1].provider = .openAI(configuration)
        }
        await #expect(throws: ProviderError.self) { try await TestEnvironment.runner(Self.key).run(broken, runs: runs) }
        let stored = try runs.cacheStats().map(\.answers).reduce(0, +)
        #expect(stored > 0 && stored < 360, "stored \(stored)")
        let before = try server.stats().byMode["ok"] ?? 0
        let resumed = try await TestEnvironment.runner(Self.key).run(try Self.suite(fixture, server), runs: runs)
        #expect(resumed.samples.count == 360)
        #expect(try runs.cacheStats().map(\.answers).reduce(0, +) == 360)
        #expect((try server.stats().byMode["ok"] ?? 0) - before == 360 - stored, "finished work was asked again")
    }

    @Test("judge scores are the probability-weighted mean of number tokens, normalised by their mass")
    func logprobScore() throws {
        let recorded: [(String, Double)] = [("7", -0.5), ("8", -1.5), (" 60", -2.0), ("Hello", -3.0), ("101", -2.5), ("-3", -4)]
        let p7 = exp(-0.5), p8 = exp(-1.5), p60 = exp(-2.0)
        let expected = (7 * p7 + 8 * p8 + 60 * p60) / (p7 + p8 + p60)
        let score = try #require(LogprobJudge.score(topLogprobs: recorded))
        #expect(abs(score - expected) < 1e-9)
        // Mostly words: too little mass on numbers, no score.
        #expect(LogprobJudge.score(topLogprobs: [("CODE", -0.05), ("5", -3.5)]) == nil)
        #expect(LogprobJudge.score(topLogprobs: []) == nil)
        let split = try #require(LogprobJudge.score(topLogprobs: [("30", log(0.2)), (" 30", log(0.2)), ("90", log(0.4))]))
        #expect(abs(split - (30 * 0.4 + 90 * 0.4) / 0.8) < 1e-9)
    }

    @Test("the LLM judge asks with temperature 0, one token and logprobs, and scores the answer")
    func judgeOverHTTP() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        var endpoint = OpenAIProvider.Configuration(baseURL: server.baseURL("ok"), model: "judge")
        endpoint.retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02)
        let judge = LogprobJudge(configuration: LogprobJudge.Configuration(endpoint: endpoint), environment: TestEnvironment.base)
        let score = try await judge.score(question: "What do you wish for?", answer: "Peace.")
        let p7 = exp(-0.5), p8 = exp(-1.5), p60 = exp(-2.0)
        let expected = (7 * p7 + 8 * p8 + 60 * p60) / (p7 + p8 + p60)
        #expect(abs((score.alignment ?? 0) - expected) < 1e-9 && abs((score.coherence ?? 0) - expected) < 1e-9)
        #expect(judge.fingerprint.hasPrefix("llm-judge-1:judge:"))
    }

    @Test("a reply slower than 90 s arrives when the suite's timeout allows it (95 s reply, timeout 100)", .tags(.slow), .timeLimit(.minutes(3)))
    func longTimeout() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        var configuration = OpenAIProvider.Configuration(baseURL: server.baseURL("delay-95"), model: "tiny-test")
        configuration.timeout = 100
        configuration.retry = RetryPolicy(maxAttempts: 1, baseDelay: 0.05, maxDelay: 0.5)
        let provider = OpenAIProvider(configuration: configuration, environment: TestEnvironment.base)
        let started = Date()
        let answer = try await provider.generate(Self.request())
        #expect(answer.hasPrefix("answer to:"))
        #expect(Date().timeIntervalSince(started) >= 95)
        #expect(await provider.failedAttempts == 0)
    }
}
