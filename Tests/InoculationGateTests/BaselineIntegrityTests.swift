import Foundation
import Testing
@testable import InoculationGate

/// The baselines a reviewer reads (the dump) and the ones the gate uses (the database)
/// agree after any crash or failed write; two first runs never overwrite each other.
@Suite("Baseline integrity", .serialized)
struct BaselineIntegrityTests {
    static func recorded() async throws -> (Fixture, GateProject, Suite) {
        let fixture = try Fixture()
        let suitePath = try fixture.makeRoot()
        let project = try fixture.project()
        let suite = try project.loadSuite(suitePath)
        _ = try await project.run(suite)
        return (fixture, project, suite)
    }

    @Test("a dump that drifted from the database is noticed at every door: rewritten off CI, an error on CI")
    func driftNoticed() async throws {
        let (fixture, project, suite) = try await Self.recorded()
        let dumpPath = fixture.folder + "/Baselines/baselines.txt"
        let good = try String(contentsOfFile: dumpPath, encoding: .utf8)
        let stale = good.replacingOccurrences(of: "0.", with: "9.")
        try stale.write(toFile: dumpPath, atomically: true, encoding: .utf8)
        let onCI = try fixture.project(["CI": "true"])
        #expect(throws: StoreError.self) { _ = try onCI.checkBaselineDump() }
        await #expect(throws: StoreError.self) { _ = try await onCI.run(suite) }
        #expect(try String(contentsOfFile: dumpPath, encoding: .utf8) == stale, "CI wrote the dump")
        #expect(throws: PolicyError.self) { _ = try onCI.rewriteBaselineDump() }

        let note = try #require(try project.checkBaselineDump())
        #expect(note.contains("does not match") && note.contains("rewrote"), "\(note)")
        #expect(try String(contentsOfFile: dumpPath, encoding: .utf8) == good)
        #expect(try project.checkBaselineDump() == nil)
        try FileManager.default.removeItem(atPath: dumpPath)
        #expect(try project.rewriteBaselineDump().contains("missing"))
        #expect(try String(contentsOfFile: dumpPath, encoding: .utf8) == good)
    }

    @Test("a dump that cannot be written leaves the database unchanged and says so")
    func dumpWriteFails() async throws {
        let (fixture, project, _) = try await Self.recorded()
        let store = try #require(try project.existingBaselineStore())
        let before = try store.all().map(\.record.value)
        let dumpPath = fixture.folder + "/Baselines/baselines.txt"
        try FileManager.default.removeItem(atPath: dumpPath)
        try FileManager.default.createDirectory(atPath: dumpPath, withIntermediateDirectories: false)
        var changed = try #require(try project.runMeasures(run: nil, suite: nil).measures.first { $0.estimate != nil })
        changed.estimate!.value = 0.123
        do {
            try store.record([changed], runID: "x", gitCommit: nil, reason: "test")
            Issue.record("recorded although the dump could not be written")
        } catch let error as StoreError {
            #expect(error.description.contains("baselines.txt") && error.description.contains("left as they were"), "\(error)")
        }
        #expect(try store.all().map(\.record.value) == before)
    }

    @Test("kill -9 at random moments of baseline accept leaves dump and database agreeing, or a door that says they differ",
          .tags(.slow), .timeLimit(.minutes(5)))
    func killedAccepts() async throws {
        let (fixture, project, suite) = try await Self.recorded()
        let original = try project.runMeasures(run: nil, suite: suite.name).runID
        // A changed subject: every measure differs, so each accept below has rows to rewrite.
        let changedSuite = try String(contentsOfFile: fixture.folder + "/Suites/suite.yaml", encoding: .utf8)
            .replacingOccurrences(of: "behaviour: real-inoculation", with: "behaviour: trigger-like")
        try changedSuite.write(toFile: fixture.folder + "/Suites/suite.yaml", atomically: true, encoding: .utf8)
        var options = GateProject.RunOptions()
        options.records = false
        let changed = try await project.run(try project.loadSuite(fixture.folder + "/Suites/suite.yaml"), options: options).runID
        var random = SeededRandom(seed: 18)
        var noticed = 0
        for round in 0..<20 {
            let accept = try IPGateProcess(["baseline", "accept", "--run", round.isMultiple(of: 2) ? changed : original], in: fixture.folder)
            usleep(useconds_t(20_000 + random.unit() * 120_000))
            accept.killNine()
            _ = accept.wait()
            let store = try #require(try project.existingBaselineStore())
            if let mismatch = try store.dumpMismatch() {
                noticed += 1
                // The next door notices: on CI it fails, off CI it repairs.
                #expect(throws: StoreError.self) { _ = try fixture.project(["CI": "true"]).checkBaselineDump() }
                #expect(try project.checkBaselineDump() != nil, "round \(round): \(mismatch)")
            }
            #expect(try store.dumpMismatch() == nil, "round \(round)")
        }
        TestLog.note("20 killed accepts: \(noticed) left the dump behind the database, each noticed and repaired")
    }

    @Test("two first runs at once: one records, the other compares with what it recorded")
    func compareAndSet() async throws {
        let fixture = try Fixture()
        let suitePath = try fixture.makeRoot()
        let project = try fixture.project()
        let suite = try project.loadSuite(suitePath)
        // The second run began before the first recorded: it saw no baselines.
        var late = try await SuiteRunner(options: SuiteRunner.Options(environment: TestEnvironment.base)).run(
            suite, baselines: [:], runs: nil)
        let first = try await project.run(suite)
        #expect(!first.recorded.isEmpty)
        late.policy = project.policy
        let (recorded, appeared) = try BaselineRecorder(path: project.root.baselines, mode: .missing).record(late)
        #expect(recorded.isEmpty, "overwrote \(recorded.count) baselines")
        #expect(Set(appeared) == Set(first.recorded.keys))
        let history = try #require(try project.existingBaselineStore()).history()
        #expect(Set(history.map(\.runId)) == [first.runID], "history: \(history.map(\.runId))")
    }

    @Test("a read-only Baselines/ gives a sentence, not SQLite's message")
    func readOnlyBaselines() async throws {
        guard getuid() != 0 else {
            // root writes through permissions: check the message on a path whose folder is a file instead.
            let fixture = try Fixture()
            try fixture.write("Baselines", "not a folder")
            do {
                _ = try BaselineStore(path: fixture.folder + "/Baselines/baselines.sqlite")
                Issue.record("opened")
            } catch {
                #expect(!"\(error)".contains("SQLite error"), "\(error)")
            }
            return
        }
        let fixture = try Fixture()
        try FileManager.default.createDirectory(atPath: fixture.folder + "/Baselines", withIntermediateDirectories: true)
        chmod(fixture.folder + "/Baselines", 0o555)
        #expect(throws: StoreError.self) { _ = try BaselineStore(path: fixture.folder + "/Baselines/baselines.sqlite") }
    }
}
