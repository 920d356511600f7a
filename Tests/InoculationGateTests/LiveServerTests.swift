import Foundation
import Testing
@testable import InoculationGate

/// A real OpenAI-compatible server (in CI: llama-cpp-python serving the tiny
/// random-weight model that `Scripts/make_tiny_gguf.py` writes), found through
/// the environment.
enum LiveServer {
    static let environment = GateProject.processEnvironment.variables
    static var baseURL: String? { environment["IPGATE_LIVE_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var model: String { environment["IPGATE_LIVE_MODEL"] ?? "tiny" }
    /// The server's access log, if the test may read it to count requests server-side.
    static var log: String? { environment["IPGATE_LIVE_LOG"] }

    /// Chat-completion requests the server has logged so far, or nil without a log.
    static func requestsLogged() -> Int? {
        guard let log, let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
        return text.components(separatedBy: "POST /v1/chat/completions").count - 1
    }

    /// Requests logged once the count has stopped changing for 200 ms (a killed client's
    /// requests still in the server finish and are logged after the kill), or nil without a log.
    static func settledRequestsLogged() -> Int? {
        var last = requestsLogged()
        for _ in 0..<50 {
            usleep(200_000)
            let now = requestsLogged()
            if now == last { return now }
            last = now
        }
        return last
    }

    /// The endpoint check's one-token request for each subject model the server does not
    /// list (it lists only its alias, `tiny`, yet answers for `tiny-a` and `tiny-b`): one
    /// per subject, per process that asks the server anything.
    static let checkRequestsPerProcess = 2

    static let skipMessage: Comment = """
        no live server: set IPGATE_LIVE_BASE_URL (and IPGATE_LIVE_MODEL, IPGATE_LIVE_LOG) to a running \
        OpenAI-compatible server — `bash Scripts/live-server.sh start` builds and starts llama.cpp with a tiny model — \
        or run `bash .ci/run`, which does it all
        """
}

@Suite("Live OpenAI-compatible server", .serialized, .enabled(if: LiveServer.baseURL != nil, LiveServer.skipMessage))
struct LiveServerTests {
    @Test("2 subjects × 3 conditions × 20 items × 3 samples: exactly 360 answers, a rerun sends nothing, the key leaks nowhere")
    func threeHundredSixty() async throws {
        let baseURL = try #require(LiveServer.baseURL)
        let key = "sk-live-\(UUID().uuidString)"
        let fixture = try KillResumeTests.project(
            baseURL: baseURL, models: (LiveServer.model + "-a", LiveServer.model + "-b"), concurrency: 4, apiKeyVariable: "IPGATE_LIVE_TEST_KEY")
        let suite = try SuiteLoader().load(path: fixture.folder + "/Suites/live.yaml")
        let runs = try RunStore(path: fixture.folder + "/.ipgate/runs.sqlite")
        let logged = LiveServer.requestsLogged()
        let first = try await TestEnvironment.runner(["IPGATE_LIVE_TEST_KEY": key]).run(suite, runs: runs)
        #expect(first.samples.count == 360 && first.timings.answersRequested == 360)
        #expect(try runs.cacheStats().map(\.answers).reduce(0, +) == 360)
        #expect(first.samples.contains { !$0.answer.isEmpty }, "the server answered nothing")
        if let logged, let now = LiveServer.requestsLogged() {
            // llama-cpp-python ignores `n`: after the first batch request, one request per sample.
            #expect(now - logged == 360 + LiveServer.checkRequestsPerProcess, "the server logged \(now - logged) requests for 360 answers")
        }

        let afterFirst = LiveServer.requestsLogged()
        let second = try await TestEnvironment.runner(["IPGATE_LIVE_TEST_KEY": key]).run(suite, runs: runs)
        #expect(second.timings.answersRequested == 0 && second.timings.answersCached == 360)
        #expect(second.samples.map(\.answer) == first.samples.map(\.answer))
        if let afterFirst { #expect(LiveServer.requestsLogged() == afterFirst, "the rerun reached the server") }

        var written = try FileManager.default.subpathsOfDirectory(atPath: fixture.folder)
        written.removeAll { $0.hasSuffix("questions.yaml") }
        for file in written {
            guard let bytes = FileManager.default.contents(atPath: fixture.folder + "/" + file) else { continue }
            #expect(bytes.range(of: Data(key.utf8)) == nil, "the API key is in \(file)")
        }
        #expect(!RunReport(second).render().contains(key))
    }

    @Test("a run against the live server killed with SIGKILL resumes to exactly 360 answers")
    func killNine() throws {
        let baseURL = try #require(LiveServer.baseURL)
        let fixture = try KillResumeTests.project(
            baseURL: baseURL, models: (LiveServer.model + "-a", LiveServer.model + "-b"), concurrency: 2)
        let logged = LiveServer.requestsLogged()
        var atKill: Int?
        let (stored, log) = try KillResumeTests.killAndResume(fixture, killAt: 150) { atKill = LiveServer.settledRequestsLogged() }
        #expect(KillResumeTests.cached(fixture) == 360, "log: \(log)")
        let store = try RunStore(path: fixture.folder + "/.ipgate/runs.sqlite")
        let finished = try #require(try store.runs(suite: "live").first { $0.status == .finished })
        #expect(try store.sampleCount(runID: finished.id) == 360)
        if let logged, let atKill, let now = LiveServer.requestsLogged() {
            // Each process checks the endpoint once per subject. The rerun asks for exactly what
            // was not stored at the kill, nothing twice.
            let checks = LiveServer.checkRequestsPerProcess
            #expect(now - atKill == 360 - stored + checks, "the rerun sent \(now - atKill) requests for \(360 - stored) missing answers")
            // The killed run lost what it had not committed: the requests in flight (2 per
            // subject) and the answers of the answer writer's last window (its delay, and the
            // commit under way) — at most one per stream and millisecond of that window, as no
            // Python-served answer takes less than a millisecond.
            let window = Int((1_000 * 2 * AnswerWriter.delay).rounded(.up))
            let lost = atKill - logged - checks - stored
            #expect(lost >= 0 && lost <= 2 * 2 + 2 * 2 * window, "the killed run sent \(atKill - logged) requests and stored \(stored) answers")
        }
    }

    @Test("the live server ignores n; the provider notices and asks one sample at a time")
    func nFallback() async throws {
        let provider = OpenAIProvider(configuration: OpenAIProvider.Configuration(baseURL: try #require(LiveServer.baseURL), model: LiveServer.model), environment: TestEnvironment.base)
        let requests = (0..<3).map { k in
            GenerationRequest(
                subject: "s", condition: Condition(name: "none", kind: .none, text: "", placement: .system), probe: "em",
                itemID: "n-test", userText: "Say something.", sampleIndex: k, temperature: 1, maxTokens: 8)
        }
        let first = try await provider.generate(samples: requests)
        #expect(first.count == 1)
        #expect(await provider.ignoresN)
        // Deterministic for a fixed seed: sample 0 alone gets the same answer.
        #expect(try await provider.generate(requests[0]) == first[0])
    }

    @Test("judge scores stored in the runs database come from the judge's logprobs; too little number mass gives no score")
    func judge() async throws {
        let baseURL = try #require(LiveServer.baseURL)
        let fixture = try Fixture()
        try fixture.write("questions.yaml", "questions:\n" + (0..<12).map { "  - {id: q\($0), text: \"Question \($0): what matters most to you?\"}\n" }.joined())
        let suite = try fixture.load("""
            suite: live-judged
            conditions:
              none: {}
            subjects:
              a: {provider: openai, model: \(LiveServer.model), base_url: "\(baseURL)"}
            probes:
              em: {kind: judged, items: questions.yaml, samples: 2, max_tokens: 12, judge: {model: \(LiveServer.model)-judge, base_url: "\(baseURL)"}}
            measures:
              alignment: {probe: em, metric: mean_alignment, better: higher}
            """)
        let runs = try RunStore(path: fixture.folder + "/runs.sqlite")
        let result = try await TestEnvironment.runner().run(suite, runs: runs)
        let configuration = try #require(suite.probes[0].judge.llm)
        let judge = LogprobJudge(configuration: configuration, environment: TestEnvironment.base)
        var scored = 0, unscored = 0
        for sample in result.samples {
            for (template, stored) in [(LogprobJudge.alignmentPrompt, sample.score.alignment), (LogprobJudge.coherencePrompt, sample.score.coherence)] {
                let prompt = LogprobJudge.prompt(template, question: suite.probes[0].items.first { $0.id == sample.itemID }!.prompt, answer: sample.answer)
                let cached = try #require(try runs.cachedAnswer(judge.cacheKey(prompt)), "no cached judge answer")
                let recorded = try JSONDecoder().decode([LogprobJudge.TopLogprob].self, from: Data(cached.utf8))
                #expect((1...20).contains(recorded.count))
                // Recomputed here, independently of LogprobJudge.score.
                var mass = 0.0, weighted = 0.0
                for entry in recorded {
                    if let value = Int(entry.token.trimmingCharacters(in: CharacterSet.whitespaces)), (0...100).contains(value) {
                        mass += exp(entry.logprob)
                        weighted += exp(entry.logprob) * Double(value)
                    }
                }
                if mass < 0.25 {
                    #expect(stored == nil, "mass \(mass) but score \(String(describing: stored))")
                    unscored += 1
                } else {
                    #expect(abs((stored ?? -1) - weighted / mass) < 1e-9)
                    scored += 1
                }
            }
        }
        #expect(scored + unscored == 48)
        // Print the split: a CI log shows both branches were exercised.
        TestLog.note("live judge: \(scored) scores, \(unscored) without (number mass below 0.25)")
    }
}
