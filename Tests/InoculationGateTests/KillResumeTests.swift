import Foundation
import Testing
@testable import InoculationGate

@Suite("Resume after kill -9", .serialized)
struct KillResumeTests {
    /// A project folder with a 2 × 3 × 20 × 3 suite against `baseURL`.
    static func project(baseURL: String, models: (String, String), concurrency: Int, apiKeyVariable: String? = nil) throws -> Fixture {
        let fixture = try Fixture()
        try FileManager.default.createDirectory(atPath: fixture.folder + "/Suites", withIntermediateDirectories: true)
        let key = apiKeyVariable.map { ", api_key_env: \($0)" } ?? ""
        let (suite, questions) = Fixture.threeHundredSixty(baseURL: baseURL, models: models, options: ", concurrency: \(concurrency)\(key)")
        try fixture.write("Suites/questions.yaml", questions)
        try fixture.write("Suites/live.yaml", suite)
        return fixture
    }

    /// Answers in the project's runs database, or nil before it has its tables.
    static func cached(_ fixture: Fixture) -> Int? {
        guard FileManager.default.fileExists(atPath: fixture.folder + "/.ipgate/runs.sqlite"),
              let store = try? RunStore(path: fixture.folder + "/.ipgate/runs.sqlite"),
              let stats = try? store.cacheStats()
        else { return nil }
        return stats.map(\.answers).reduce(0, +)
    }

    /// Starts a run, kills it with SIGKILL once `killAt` answers are stored, runs
    /// it again to the end, and returns what was stored at the kill and the rerun's log.
    /// `afterKill` runs between the killed run's end and the rerun's start.
    static func killAndResume(
        _ fixture: Fixture, killAt: Int, environment: [String: String] = [:], afterKill: () -> Void = {}
    ) throws -> (stored: Int, log: String) {
        let arguments = ["run", "Suites/live.yaml", "--root", fixture.folder, "--quiet"]
        let first = try IPGateProcess(arguments, in: fixture.folder, environment: environment)
        let deadline = Date().addingTimeInterval(120)
        while (cached(fixture) ?? 0) < killAt, first.process.isRunning, Date() < deadline { usleep(5_000) }
        let wasRunning = first.process.isRunning
        first.killNine()
        #expect(first.wait() != 0)
        #expect(wasRunning, "the run ended before it could be killed; log: \(first.log)")
        let stored = cached(fixture) ?? 0
        #expect(stored >= killAt && stored < 360, "stored \(stored) answers before the kill")
        afterKill()
        // Not quiet: without a terminal, progress comes as plain lines.
        let second = try IPGateProcess(arguments.filter { $0 != "--quiet" }, in: fixture.folder, environment: environment)
        let status = second.wait()
        #expect(status == 0 || status == 1, "the resumed run failed (\(status)): \(second.log)")
        #expect(second.log.contains("ipgate: generating \(stored)/360"), "no progress line for the cached part: \(second.log)")
        #expect(second.log.contains("ipgate: generating 360/360 (100%)"), "no final progress line: \(second.log)")
        #expect(!second.log.contains("\u{1b}["), "terminal control codes in a log")
        return (stored, second.log)
    }

    @Test("a run killed with SIGKILL halfway resumes with exactly one answer per subject, condition, item and sample")
    func killNine() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Self.project(baseURL: server.baseURL("pace"), models: ("tiny-a", "tiny-b"), concurrency: 2)
        let (stored, log) = try Self.killAndResume(fixture, killAt: 120)
        #expect(Self.cached(fixture) == 360, "log: \(log)")
        let store = try RunStore(path: fixture.folder + "/.ipgate/runs.sqlite")
        let finished = try #require(try store.runs(suite: "live").first { $0.status == .finished })
        #expect(try store.sampleCount(runID: finished.id) == 360)
        // The killed run is marked interrupted by the next one, not left "running" for ever.
        let all = try store.runs(suite: "live")
        #expect(all.contains { $0.status == .interrupted } && !all.contains { $0.status == .running }, "\(all.map(\.status))")
        // The rerun asked only for what was missing: 360 − stored, plus nothing twice.
        let total = try server.stats().byMode["pace"] ?? 0
        // Lost at the kill: the requests in flight (2 per subject) and the answers awaiting their
        // commit (the writer's last 10 ms: at most one per request stream at this server's 50 ms pace).
        #expect(total >= 360 && total <= 360 + 2 * 2 + 2 * 2, "at most the in-flight requests and answers awaiting their commit were lost: \(total) requests for 360 answers, \(stored) stored at the kill")
    }

    @Test("a streamed run (IPGATE_STREAM_ABOVE=0) killed with SIGKILL resumes the same way: one answer per slot, every sample stored once")
    func killNineStreaming() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Self.project(baseURL: server.baseURL("pace"), models: ("tiny-a", "tiny-b"), concurrency: 2)
        let (_, log) = try Self.killAndResume(fixture, killAt: 120, environment: ["IPGATE_STREAM_ABOVE": "0"])
        #expect(Self.cached(fixture) == 360, "log: \(log)")
        let store = try RunStore(path: fixture.folder + "/.ipgate/runs.sqlite")
        let finished = try #require(try store.runs(suite: "live").first { $0.status == .finished })
        #expect(try store.sampleCount(runID: finished.id) == 360)
        let total = try server.stats().byMode["pace"] ?? 0
        #expect(total >= 360 && total <= 360 + 2 * 2 + 2 * 2, "\(total) requests for 360 answers")
    }
}
