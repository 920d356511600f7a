import Foundation
import Testing
@testable import InoculationGate

/// The one front door: roots, the baseline policy, recording and planning are
/// decided by ``GateProject`` for `swift test` and `ipgate` alike.
@Suite("Project and baseline policy")
struct ProjectTests {
    /// Every file under `folder`, relative, sorted.
    static func tree(_ folder: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test("a root without Suites/ is an error that creates nothing")
    func rootWithoutSuites() throws {
        let fixture = try Fixture()
        let before = Self.tree(fixture.folder)
        #expect(throws: ProjectRoot.RootError.self) { try fixture.project() }
        let missing = fixture.folder + "/no/such/root"
        #expect(throws: ProjectRoot.RootError.self) {
            try GateProject(searchingFrom: "/", environment: TestEnvironment.base.setting(["IPGATE_ROOT": missing]))
        }
        #expect(Self.tree(fixture.folder) == before)
        #expect(!FileManager.default.fileExists(atPath: fixture.folder + "/no"))
    }

    @Test("the root is found by walking up to the folder with Suites/")
    func walkUp() throws {
        let fixture = try Fixture()
        try fixture.makeRoot()
        try fixture.write("deep/er/file.txt", "")
        let project = try GateProject(searchingFrom: fixture.folder + "/deep/er/file.txt", environment: TestEnvironment.base)
        #expect(project.root.path == URL(fileURLWithPath: fixture.folder).standardizedFileURL.path)
    }

    @Test("an unknown record mode and a request to record on CI are refused at the door")
    func recordModes() throws {
        let fixture = try Fixture()
        try fixture.makeRoot()
        #expect(throws: RecordModeError.self) { try fixture.project(["IPGATE_RECORD": "bogus"]) }
        #expect(throws: RecordModeError.self) { try fixture.project(["CI": "true", "IPGATE_RECORD": "all"]) }
        #expect(try fixture.project(["CI": "true"]).policy.mode == .never)
        #expect(try fixture.project().policy.mode == .missing)
    }

    @Test("on CI an empty Baselines/ fails the gate, names the reason and creates no database")
    func missingOnCI() async throws {
        let fixture = try Fixture()
        let suitePath = try fixture.makeRoot()
        let project = try fixture.project(["CI": "true"])
        let result = try await project.run(try project.loadSuite(suitePath))
        #expect(result.failsGate)
        #expect(result.recorded.isEmpty)
        #expect(result.comparisons.allSatisfy { $0.status == .missing && result.failsGate($0) })
        #expect(!FileManager.default.fileExists(atPath: project.root.baselines))
        #expect(RunReport(result).render().contains("IPGATE_RECORD=never records none ✗"))
        #expect(RunReport(result).render().hasSuffix("GATE FAILED: see ✗ above.\n"))
    }

    @Test("on CI accepting is refused and Baselines/ stays byte-identical")
    func acceptOnCI() async throws {
        let fixture = try Fixture()
        let suitePath = try fixture.makeRoot()
        let local = try fixture.project()
        _ = try await local.run(try local.loadSuite(suitePath))
        let before = try Data(contentsOf: URL(fileURLWithPath: local.root.baselines))
        let dump = try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/Baselines/baselines.txt"))
        await #expect(throws: PolicyError.self) { _ = try await fixture.project(["CI": "1"]).accept(run: nil, suite: nil) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: local.root.baselines)) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/Baselines/baselines.txt")) == dump)
    }

    @Test("the commit a run was made at is in its result, its stored run and the baselines it recorded (git is asked while the run begins)")
    func runsRecordTheirCommit() async throws {
        let fixture = try Fixture()
        let suitePath = try fixture.makeRoot()
        let git = { (arguments: [String]) in
            try await HelperProcess.run("/usr/bin/env", ["git", "-C", fixture.folder, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments)
        }
        for step in [["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "fixture"]] { #expect(try await git(step).succeeded, "git \(step)") }
        let head = try await git(["rev-parse", "--short=12", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(head.count == 12)
        let project = try fixture.project()
        let result = try await project.run(try project.loadSuite(suitePath))
        #expect(result.gitCommit == head)
        #expect(try project.runs().runs().first { $0.id == result.runID }?.gitCommit == head)
        #expect(try #require(try project.existingBaselineStore()).history().allSatisfy { $0.gitCommit == head })
    }

    @Test("missing baselines are recorded once per run, with one dump; the next run compares against them")
    func recordsOnce() async throws {
        let fixture = try Fixture()
        let suitePath = try fixture.makeRoot()
        let project = try fixture.project()
        let suite = try project.loadSuite(suitePath)
        let first = try await project.run(suite)
        #expect(first.recorded.count == first.comparisons.count && first.recorded.values.allSatisfy { $0 == .missing })
        #expect(!first.failsGate)
        let history = try #require(try project.existingBaselineStore()).history()
        #expect(history.count == first.comparisons.count && Set(history.map(\.runId)) == [first.runID])
        let dump = try String(contentsOfFile: fixture.folder + "/Baselines/baselines.txt", encoding: .utf8)
        #expect(dump == BaselineDump.render(try project.existingBaselineStore()!.all()))
        let second = try await project.run(suite)
        #expect(second.recorded.isEmpty)
        #expect(second.comparisons.allSatisfy { $0.status != .missing })
        #expect(try project.existingBaselineStore()!.history().count == history.count)
    }

    @Test("names with control characters are rejected with their location; no two slots share a key")
    func controlCharacters() throws {
        let fixture = try Fixture()
        for (find, replace, line) in [
            ("  control: {provider", "  \"con\\x1Ftrol\": {provider", 8),
            ("  random: {random", "  \"ran\\tdom\": {random", 5),
            ("  em: {kind", "  \"e\\u200Bm\": {kind", 11),
        ] {
            let text = Fixture.suite.replacingOccurrences(of: find, with: replace)
            let error = try fixture.error(text)
            #expect(error.description.contains("suite.yaml:\(line):3: error:"), "\(error.description)")
            #expect(error.description.contains("control character"), "\(error.description)")
        }
        // A blank name is no name either.
        let blank = try fixture.error(Fixture.suite.replacingOccurrences(of: "  control: {provider", with: "  \" \": {provider"))
        #expect(blank.description.contains("blank name"))
        // Keys are structs: two slots differ whenever any part differs.
        #expect(Slot(subject: "a\u{1f}b", condition: "c", probe: "p") != Slot(subject: "a", condition: "b\u{1f}c", probe: "p"))
    }

    @Test("power plans from the newest matching finished run without running anything")
    func powerFromStoredRun() async throws {
        let fixture = try Fixture()
        let suitePath = try fixture.makeRoot()
        let project = try fixture.project()
        let suite = try project.loadSuite(suitePath)
        var generated = false
        let first = try await project.power(suite) { generated = true }
        #expect(generated)
        guard case .generated(let runID) = first.source else { Issue.record("expected a generated plan"); return }
        #expect(try project.existingBaselineStore() == nil, "planning recorded baselines")
        var again = false
        let second = try await project.power(suite) { again = true }
        #expect(!again)
        #expect(second.source == .storedRun(runID))
        #expect(second.report.render() == first.report.render())
        // An edited suite no longer matches the stored run.
        let edited = try project.loadSuite(try fixture.makeRoot(suite: Fixture.suite.replacingOccurrences(of: "samples: 4", with: "samples: 5")))
        #expect(try project.matchingStoredRun(edited) == nil)
    }
}
