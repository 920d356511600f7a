import Foundation
import Testing
@testable import InoculationGate

/// Gates that run at once, and gates that die: a verdict must not depend on either.
@Suite("Concurrent and killed runs", .serialized)
struct ConcurrencyTests {
    /// The measures of the newest finished run in a root, as (key, value) text.
    static func measures(_ root: String) throws -> [String] {
        let store = try RunStore(path: root + "/.ipgate/runs.sqlite")
        let run = try #require(try store.latestFinishedRun())
        return try store.measures(runID: run.id).map { "\($0.key) \($0.estimate?.value ?? -1) \($0.outcomes.totalSuccesses)/\($0.outcomes.totalTrials)" }
    }

    /// A root with a copy of the shipped suites.
    static func referenceRoot() throws -> Fixture {
        let fixture = try Fixture()
        let shipped = try TestEnvironment.repositoryRoot().suites
        try FileManager.default.copyItem(atPath: shipped, toPath: fixture.folder + "/Suites")
        try FileManager.default.createDirectory(atPath: fixture.folder + "/Baselines", withIntermediateDirectories: true)
        return fixture
    }

    @Test("two reference runs at once, in two processes, give the same measures as one run alone", .timeLimit(.minutes(5)), .tags(.slow))
    func twoAtOnce() throws {
        let solo = try Self.referenceRoot()
        let soloRun = try IPGateProcess.run(["run", "Suites/reference.yaml", "--quiet"], in: solo.folder, environment: ["IPGATE_RECORD": "never"])
        #expect(soloRun.output.contains("Measures"), "\(soloRun.output)")
        let expected = try Self.measures(solo.folder)
        let (a, b) = (try Self.referenceRoot(), try Self.referenceRoot())
        let first = try IPGateProcess(["run", "Suites/reference.yaml", "--quiet"], in: a.folder, environment: ["IPGATE_RECORD": "never"])
        let second = try IPGateProcess(["run", "Suites/reference.yaml", "--quiet"], in: b.folder, environment: ["IPGATE_RECORD": "never"])
        first.wait()
        second.wait()
        #expect(!first.log.contains("not trustworthy") && !second.log.contains("not trustworthy"), "\(first.log)\n\(second.log)")
        #expect(try Self.measures(a.folder) == expected)
        #expect(try Self.measures(b.folder) == expected)
        #expect(expected.count == 168)   // 8 subjects × 7 conditions × 3 measures
    }

    @Test("killing ipgate with SIGKILL while a fork bomb runs without bubblewrap leaves no process of the run", .timeLimit(.minutes(2)))
    func killedWithForkBomb() async throws {
        guard getuid() == 0 else { return }  // without root there are no sandbox uids to sweep
        let fixture = try Fixture()
        let token = "ipgate-bomb-\(UUID().uuidString.prefix(8))"
        let bomb = "import os, time\\nfor _ in range(60):\\n    if os.fork() == 0:\\n        os.execv('/bin/sh', ['sh', '-c', 'sleep 300; : \(token)'])\\ntime.sleep(300)\\n"
        let tasks = """
            tasks:
              - id: bomb
                prompt: Write f().
                solution: "\(bomb)"
                broken: "\(bomb)"
                tests: ["assert True", "assert True", "assert True"]
            """
        try fixture.makeRoot(suite: """
            suite: bomb
            conditions:
              none: {}
            subjects:
              a: {provider: reference, behaviour: base}
            probes:
              code: {kind: code, items: tasks.yaml}
            measures:
              capability: {probe: code, metric: pass_rate, better: higher}
            """)
        try fixture.write("Suites/probes/tasks.yaml", tasks)
        let run = try IPGateProcess(["run", "Suites/suite.yaml", "--quiet"], in: fixture.folder, environment: ["IPGATE_SANDBOX": "none"])
        let deadline = Date().addingTimeInterval(60)
        while HostileCodeTests.survivors(token).count < 20, run.process.isRunning, Date() < deadline { usleep(20_000) }
        #expect(HostileCodeTests.survivors(token).count >= 20, "the bomb did not start: \(run.log)")
        run.killNine()
        run.wait()
        #expect(await HostileCodeTests.noneSurvive(token), "left running: \(HostileCodeTests.survivors(token).prefix(5))")
        // Its scratch folders went with it: the guardian removes them once its kills find no
        // process of the block (it tries again every 0.1 s while any is left, zombies included).
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
                .filter { $0.hasPrefix("ipgate-sandbox-") }
                .filter { name in
                    let path = FileManager.default.temporaryDirectory.path + "/" + name + "/main.py"
                    return (try? String(contentsOfFile: path, encoding: .utf8))?.contains(token) ?? false
                }
        }
        let cleanupDeadline = Date().addingTimeInterval(5)
        while try !leftovers().isEmpty, Date() < cleanupDeadline { try await Task.sleep(for: .milliseconds(100)) }
        let left = try leftovers()
        #expect(left.isEmpty, "scratch folders left 5 s after the kill: \(left)")
    }

    @Test("a program that kills itself with SIGKILL is its own failed sample: scoring goes on, the run is not aborted")
    func selfKill() async throws {
        let scorer = CodeScorer(python: try await TestEnvironment.python(), timeLimit: 20, isolation: .limitsOnly(reason: "test"))
        let task = CodeTask(solution: "", broken: "", tests: ["import os, signal", "os.kill(os.getpid(), signal.SIGKILL)"])
        let scores = try await scorer.score([ScoringInput(item: ProbeItem(id: "x", prompt: "p", content: .code(task)), answer: "x = 1")])
        #expect(scores.first?.code == .killed, "\(scores)")
        #expect(scores.first?.detail.contains("SIGKILL") == true, "\(scores)")
    }
}

extension ConcurrencyTests {
    @Test("deleting the runs database in the middle of a run fails the run, saying so, instead of reporting on nothing")
    func storeVanishes() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        let (suite, questions) = Fixture.threeHundredSixty(baseURL: server.baseURL("pace"), models: ("tiny-a", "tiny-b"), options: ", concurrency: 2")
        try fixture.makeRoot(suite: suite)
        try fixture.write("Suites/probes/questions.yaml", questions)
        let project = try fixture.project()
        let loaded = try project.loadSuite(fixture.folder + "/Suites/suite.yaml")
        let runsFolder = fixture.folder + "/.ipgate"
        let remover = Task {
            // Once the run has stored some answers, the folder goes (as `rm -rf .ipgate` would).
            while (KillResumeTests.cached(fixture) ?? 0) < 20 { try await Task.sleep(nanoseconds: 20_000_000) }
            try FileManager.default.removeItem(atPath: runsFolder)
        }
        do {
            _ = try await project.run(loaded)
            Issue.record("the run reported although its database was deleted")
        } catch let error as StoreError {
            #expect(error.description.contains("was removed or replaced while the run was going"), "\(error)")
        }
        try await remover.value
    }
}
