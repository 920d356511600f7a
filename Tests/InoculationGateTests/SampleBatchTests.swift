import Foundation
import Testing
@testable import InoculationGate

@Suite("Samples in one request, judge cache and progress", .serialized)
struct SampleBatchTests {
    @Test("a server that honours n gets one request per prompt; one that ignores it is asked once per sample")
    func nHonouredOrIgnored() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        let honoured = try ProviderTests.suite(fixture, server, mode: "n")
        let runs = try RunStore(path: fixture.folder + "/runs.sqlite")
        let result = try await TestEnvironment.runner(ProviderTests.key).run(honoured, runs: runs)
        #expect(result.samples.count == 360)
        #expect(try server.stats().byMode["n"] == 120, "2 subjects × 3 conditions × 20 items, n = 3")
        // Sample k is choice k of the one request.
        let first = try #require(result.samples.first { $0.subject == "a" && $0.condition == "none" && $0.itemID == "q0" && $0.sampleIndex == 2 })
        #expect(first.answer.hasPrefix("answer 2 to:"))
        #expect(try runs.cacheStats().map(\.answers).reduce(0, +) == 360)

        let provider = ProviderTests.provider(server, "ok")
        let requests = (0..<3).map { k in
            var request = ProviderTests.request()
            request.sampleIndex = k
            return request
        }
        #expect(try await provider.generate(samples: requests).count == 1)
        #expect(await provider.ignoresN)
        #expect(try await provider.generate(samples: requests).count == 1)
        #expect(await provider.requestsSent == 2)
    }

    @Test("subjects on one endpoint share its concurrency bound")
    func sharedBound() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        let (text, questions) = Fixture.threeHundredSixty(baseURL: server.baseURL("pace"), models: ("tiny-a", "tiny-b"), options: ", concurrency: 3")
        try fixture.write("questions.yaml", questions)
        var suite = try fixture.load(text)
        suite.probes[0].items.removeLast(14)
        let result = try await TestEnvironment.runner().run(suite)
        #expect(result.samples.count == 108)
        let peak = try server.stats().maxInFlight
        #expect(peak <= 3, "\(peak) requests at once on an endpoint bounded at 3")
        #expect(peak >= 2, "requests were not concurrent at all")
    }

    static func judgedSuite(_ fixture: Fixture, _ server: FaultServer, mode: String = "ok") throws -> Suite {
        try fixture.load("""
            suite: judged
            conditions:
              none: {}
            subjects:
              a: {provider: openai, model: tiny-a, base_url: "\(server.baseURL(mode))"}
            probes:
              em: {kind: judged, items: questions.yaml, samples: 2, judge: {kind: llm, model: judge, base_url: "\(server.baseURL(mode))"}}
            measures:
              alignment: {probe: em, metric: mean_alignment, better: higher}
            """)
    }

    @Test("judge log-probabilities are cached: scores come from the stored numbers, a rerun asks the judge nothing")
    func judgeCache() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        let suite = try Self.judgedSuite(fixture, server)
        let runs = try RunStore(path: fixture.folder + "/runs.sqlite")
        let progress = ProgressLog()
        var options = SuiteRunner.Options(environment: TestEnvironment.base)
        options.progress = { progress.append($0) }
        let first = try await SuiteRunner(options: options).run(suite, runs: runs)
        // 3 questions × 2 samples answered; this server gives both samples of a question the
        // same answer, so 3 distinct (question, answer) pairs × (alignment + coherence) are
        // judged — once each, not once per sample. On a loaded machine a connection may fail
        // and be retried (counted in failedAttempts).
        let asked = try server.stats().requests
        #expect(asked >= 6 + 6 && asked <= 6 + 6 + first.timings.failedAttempts, "\(asked) requests, \(first.timings.failedAttempts) failed")
        let judged = try runs.cacheStats().first { $0.provider.hasPrefix("judge:") }
        // This server gives both samples of a question the same answer: 3 × 2 distinct judge prompts.
        #expect(judged?.answers == 6, "distinct judge prompts")
        let p7 = exp(-0.5), p8 = exp(-1.5), p60 = exp(-2.0)
        let expected = (7 * p7 + 8 * p8 + 60 * p60) / (p7 + p8 + p60)
        #expect(first.samples.allSatisfy { abs(($0.score.alignment ?? -1) - expected) < 1e-9 })

        let second = try await SuiteRunner(options: options).run(suite, runs: runs)
        #expect(try server.stats().requests == asked, "the rerun asked the model or the judge again")
        #expect(second.samples.map(\.score.alignment) == first.samples.map(\.score.alignment))

        let reports = progress.all
        let lastGeneration = try #require(reports.last { $0.phase == .generating })
        let lastJudging = try #require(reports.last { $0.phase == .judging })
        #expect(lastGeneration.total == 6 && lastJudging.total == 3)
        #expect(reports.contains { $0.phase == .generating && $0.done == 6 && $0.cached == 0 })
        #expect(reports.contains { $0.phase == .generating && $0.done == 6 && $0.cached == 6 }, "the rerun's hits were not reported")
        #expect(reports.filter { $0.phase == .judging }.map(\.done).max() == 3)
        #expect(reports.contains { $0.phase == .judging && $0.done == 3 && $0.cached == 3 }, "the rerun's judge hits were not reported")
    }

    @Test("the report says where answers came from and how many failed requests were retried")
    func answersLine() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        let suite = try Self.judgedSuite(fixture, server, mode: "503")
        let runs = try RunStore(path: fixture.folder + "/runs.sqlite")
        let first = try await TestEnvironment.runner().run(suite, runs: runs)
        // Every request the server failed was retried: 6 answers (3 two-sample requests
        // answered with one choice, then 3 single ones) and 6 judge verdicts (3 distinct
        // answers × alignment and coherence) succeeded; each of those 12 bodies failed first.
        let failed = try server.stats().requests - 12
        #expect(failed >= 12, "each distinct request body fails once")
        #expect(first.timings.failedAttempts == failed)
        #expect(RunReport(first).render().contains("answers: 6 asked of models, 0 from the response cache; \(failed) failed requests were retried"))
        let second = try await TestEnvironment.runner().run(suite, runs: runs)
        #expect(RunReport(second).render().contains("answers: 0 asked of models, 6 from the response cache\n"))
        // Simulated subjects are neither asked nor cached: no line.
        let simulated = try Fixture().load(Fixture.suite)
        let reference = try await TestEnvironment.runner().run(simulated)
        #expect(!RunReport(reference).render().contains("answers:"))
    }

    @Test("a progress line shows done/total, rate, time left, cache hits and failures")
    func progressLine() {
        let progress = RunProgress(phase: .generating, done: 120, total: 360, cached: 40, failedAttempts: 2, elapsed: 8)
        #expect(progress.line == "generating 120/360 (33%) · 10.0/s · ETA 24s · 40 cached · 2 failed attempts")
        let finished = RunProgress(phase: .judging, done: 10, total: 10, cached: 10, failedAttempts: 1, elapsed: 0)
        #expect(finished.line == "judging 10/10 (100%) · 0.0/s · 10 cached · 1 failed attempt")
        #expect(RunProgress.duration(3725) == "1h02m" && RunProgress.duration(75) == "1m15s")
    }
}

/// Collects progress reports from any thread.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [RunProgress] = []

    func append(_ progress: RunProgress) {
        lock.lock()
        reports.append(progress)
        lock.unlock()
    }

    var all: [RunProgress] {
        lock.lock()
        defer { lock.unlock() }
        return reports
    }
}

@Suite("Progress printer")
struct ProgressPrinterTests {
    final class Output: @unchecked Sendable {
        let lock = NSLock()
        var text = ""
        func append(_ more: String) { lock.lock(); text += more; lock.unlock() }
    }

    static func report(_ phase: RunProgress.Phase, _ done: Int, of total: Int = 10) -> RunProgress {
        RunProgress(phase: phase, done: done, total: total, cached: 0, failedAttempts: 0, elapsed: 1)
    }

    @Test("without a terminal: plain lines, each count once, no step back, the last always shown")
    func plain() {
        let output = Output()
        let printer = ProgressPrinter(isTerminal: false, interval: 3600) { output.append($0) }
        for done in [1, 2, 2, 5, 3, 10, 10, 10] { printer.update(Self.report(.generating, done)) }
        printer.update(Self.report(.judging, 10))
        printer.finish()
        // The first report of a phase and its end are printed; the interval hides the rest.
        #expect(output.text == """
            ipgate: generating 1/10 (10%) · 1.0/s · ETA 9s · 0 cached · 0 failed attempts
            ipgate: generating 10/10 (100%) · 10.0/s · 0 cached · 0 failed attempts
            ipgate: judging 10/10 (100%) · 10.0/s · 0 cached · 0 failed attempts

            """)
        #expect(!output.text.contains("\u{1b}"))
    }

    @Test("on a terminal: one line rewritten in place, ended when the phase ends")
    func terminal() {
        let output = Output()
        let printer = ProgressPrinter(isTerminal: true, interval: 0) { output.append($0) }
        printer.update(Self.report(.generating, 4))
        printer.update(Self.report(.generating, 10))
        printer.update(Self.report(.judging, 3))
        printer.finish()
        let lines = output.text.components(separatedBy: "\n")
        #expect(lines.count == 3 && lines[2].isEmpty, "\(output.text.debugDescription)")
        #expect(lines[0].hasPrefix("\r\u{1b}[2Kgenerating 4/10") && lines[0].contains("\r\u{1b}[2Kgenerating 10/10 (100%)"))
        #expect(lines[1].hasPrefix("\r\u{1b}[2Kjudging 3/10"))
    }
}

@Suite("Generation parameters on the wire", .serialized)
struct GenerationParameterTests {
    @Test("top_p and stop reach the endpoint, enter the cache key and the fingerprint, and are checked when loaded")
    func topPAndStop() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        func suite(_ extra: String) throws -> Suite {
            try fixture.load("""
                suite: wire
                conditions:
                  none: {}
                subjects:
                  a: {provider: openai, model: tiny, base_url: "\(server.baseURL("echo"))"}
                probes:
                  em: {kind: judged, items: questions.yaml, samples: 1, temperature: 0.7, max_tokens: 32\(extra)}
                measures:
                  coherence: {probe: em, metric: coherent_rate, better: higher}
                """)
        }
        let tuned = try suite(", top_p: 0.9, stop: [\"\\n\\n\", \"END\"]")
        let result = try await TestEnvironment.runner().run(tuned)
        let body = try JSONSerialization.jsonObject(with: Data(result.samples[0].answer.utf8)) as! [String: Any]
        #expect(body["top_p"] as? Double == 0.9 && body["stop"] as? [String] == ["\n\n", "END"])
        #expect(body["temperature"] as? Double == 0.7 && body["max_tokens"] as? Int == 32 && body["seed"] != nil && body["n"] == nil)
        // Sorted keys: the same request is the same bytes.
        #expect(result.samples[0].answer.hasPrefix("{\"max_tokens\":32,\"messages\""))

        let plain = try suite("")
        let provider = OpenAIProvider(configuration: OpenAIProvider.Configuration(baseURL: server.baseURL("echo"), model: "tiny"), environment: TestEnvironment.base)
        let tunedKey = AnswerCollector.cacheKey(RunPlan(tuned).requests[0], provider: provider)
        let plainKey = AnswerCollector.cacheKey(RunPlan(plain).requests[0], provider: provider)
        #expect(tunedKey != plainKey)
        let fingerprint = { (suite: Suite) in
            Fingerprint(suite: suite, subject: suite.subjects[0], condition: suite.conditions[0], measure: suite.measures[0], scorerVersion: "").suiteHash
        }
        #expect(fingerprint(tuned) != fingerprint(plain))

        for (extra, message) in [(", top_p: 0", "'top_p' must be above 0 and at most 1"), (", stop: [\"\"]", "a stop sequence must not be empty")] {
            do {
                _ = try suite(extra)
                Issue.record("loaded \(extra)")
            } catch let error as SuiteError {
                #expect(error.description.contains("suite.yaml:7:") && error.description.contains(message), "\(error.description)")
            }
        }
    }
}
