import Foundation
import Synchronization
import Testing
@testable import InoculationGate
import InoculationGateTesting

/// One decision per gate case, rendered everywhere: the run's cases are decided once,
/// and the document, JUnit, Markdown, annotations, HTML and the terminal all say what
/// those cases say — for every kind of failing case.
@Suite("One outcome, built once")
struct GateOutcomeTests {
    /// A project run of `suite` after `prepare` (recording as `record` says), its
    /// next steps given once.
    static func run(_ fixture: Fixture, record: String, warn: @escaping @Sendable (String) -> Void = { _ in }) async throws -> RunResult {
        let project = try fixture.project(["IPGATE_RECORD": record])
        var options = GateProject.RunOptions()
        options.isolation = .limitsOnly(reason: "outcome test")
        options.warn = warn
        options.nextSteps = { _ in NextSteps(investigate: "INVESTIGATE", accept: "ACCEPT", recordMissing: "RECORD") }
        return try await project.run(try project.loadSuite(fixture.folder + "/Suites/suite.yaml"), options: options)
    }

    /// Every output agrees with `result.cases`, case by case.
    static func expectOutputsAgree(_ result: RunResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let document = try #require(result.document, sourceLocation: sourceLocation)
        #expect(document.cases.map { $0.id } == result.suite.gateCases, sourceLocation: sourceLocation)
        #expect(result.failsGate == (document.run.verdict == GateVerdict.failed), sourceLocation: sourceLocation)
        #expect(result.failsGate == (!result.dataProblems.isEmpty || result.cases.contains { !$0.passed }), sourceLocation: sourceLocation)
        let junit = JUnitReport.render([document])
        let markdown = MarkdownReport.render(document)
        let annotations = WorkflowAnnotations.render(document)
        let html = HTMLReport.render(document)
        let terminal = RunReport(result, allRows: true).render()
        for (outcome, row) in zip(result.cases, document.cases) {
            let same = row.passed == outcome.passed && row.reason == outcome.reason && row.failure == outcome.failure
            #expect(same, "\(outcome.name)", sourceLocation: sourceLocation)
            let consistent = outcome.passed == (outcome.reason == nil) && outcome.passed == (outcome.failure == nil)
            #expect(consistent, "\(outcome.name)", sourceLocation: sourceLocation)
            let junitLines = junit.split(separator: "\n").map(String.init)
            let at = junitLines.firstIndex { $0.contains("name=\"\(JUnitReport.escape(outcome.name))\"") }
            let junitFailed = at.map { $0 + 1 < junitLines.count && junitLines[$0 + 1].hasPrefix("      <failure") } ?? false
            let junitAgrees = at != nil && junitFailed == !outcome.passed
            #expect(junitAgrees, "JUnit disagrees on \(outcome.name)", sourceLocation: sourceLocation)
            let annotation = annotations.split(separator: "\n").first { $0.contains("title=\(WorkflowAnnotations.property(outcome.name))::") }
            let annotated = annotation?.hasPrefix("::error ") ?? false
            #expect(annotated == !outcome.passed, "annotations disagree on \(outcome.name)", sourceLocation: sourceLocation)
            let inMarkdown = markdown.contains("<b>\(MarkdownReport.html(outcome.name))</b>")
            #expect(inMarkdown == !outcome.passed, "Markdown disagrees on \(outcome.name)", sourceLocation: sourceLocation)
            let inHTML = html.contains("<b>\(HTMLReport.e(outcome.name))</b>")
            #expect(inHTML == !outcome.passed, "HTML disagrees on \(outcome.name)", sourceLocation: sourceLocation)
            if case .baseline(let key) = outcome.id {
                let line = terminal.split(separator: "\n").map(String.init).first { (row: String) -> Bool in
                    let cells = row.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    return cells.starts(with: [key.subject, key.condition, key.measure])
                }
                // With no baseline at all the terminal lists no rows, only what accepting would give.
                let listed = line != nil || result.comparisons.allSatisfy { $0.status == .missing }
                let marked = line.map { $0.hasSuffix("✗") == !outcome.passed } ?? true
                #expect(listed && marked, "the terminal disagrees on \(outcome.name):\n\(terminal)", sourceLocation: sourceLocation)
                #expect(document.comparison(of: outcome.id)?.failsGate == !outcome.passed, sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a missing baseline that nothing may record fails as missing-baseline in every output, with the caller's way to record it")
    func missing() async throws {
        let fixture = try Fixture()
        try fixture.makeRoot()
        let result = try await Self.run(fixture, record: "never")
        let baselineCases = result.cases.filter { $0.id.kind == .baseline }
        #expect(!baselineCases.isEmpty && baselineCases.allSatisfy { $0.reason == .missingBaseline && $0.failure?.contains("RECORD") == true })
        try Self.expectOutputsAgree(result)
    }

    @Test("a changed definition fails as fingerprint-changed: pointed at the line that defines the changed field, told it is not a measured change")
    func fingerprintChanged() async throws {
        let fixture = try Fixture()
        let path = try fixture.makeRoot()
        let recorded = try await Self.run(fixture, record: "missing")
        #expect(!recorded.failsGate && recorded.recorded.count == recorded.comparisons.count)
        try Self.expectOutputsAgree(recorded)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "samples: 4}", with: "samples: 5}").write(toFile: path, atomically: true, encoding: .utf8)
        let changed = try await Self.run(fixture, record: "never")
        let failing = changed.cases.filter { !$0.passed }
        let probeLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("em: {kind: judged") }) + 1
        #expect(failing.count == 6 && failing.allSatisfy { $0.name.hasSuffix("misalignment") }, "\(failing.map(\.name))")
        for outcome in failing where outcome.id.kind == .baseline {
            #expect(outcome.reason == .fingerprintChanged, "\(outcome.name)")
            #expect(outcome.location?.line == probeLine, "\(outcome.name) points at \(String(describing: outcome.location))")
            #expect(outcome.failure?.contains("not a measured change") == true && outcome.failure?.contains("INVESTIGATE") == false, "\(outcome.failure ?? "")")
            #expect(outcome.failure?.contains("ACCEPT") == true)
        }
        try Self.expectOutputsAgree(changed)
        // The HTML says why the row is red, and does not plot a change that was never measured.
        let html = HTMLReport.render(try #require(changed.document))
        #expect(html.contains("fingerprint-changed</span>") && html.contains("not a measured change"))
        #expect(!html.contains("<circle class=\"mark-fingerprint-changed\""))
    }

    @Test("a claim and a diagnosis that miss their expectation fail as claim and diagnosis, each with its own next step")
    func claimAndDiagnosis() async throws {
        let fixture = try Fixture()
        try fixture.makeRoot(suite: Fixture.suite
            .replacingOccurrences(of: "behaviour: real-inoculation, trained_with: ip}", with: "behaviour: real-inoculation, trained_with: ip, expect_diagnosis: trigger-like}")
            + "\n  - transfer: {subject: control, measure: capability, from: ip, to: none, min_ratio: 5}\n"
            + "  - no_amplification: {subject: inoculated, measure: misalignment, condition: ip, versus: {subject: control, condition: none}}\n")
        let result = try await Self.run(fixture, record: "missing")
        let claim = try #require(result.outcome(of: .claim(title: "transfer › control › capability › ip → none")))
        #expect(claim.reason == .claim && claim.failure?.contains("a claim is the model's story") == true)
        let diagnosis = try #require(result.outcome(of: .diagnosis(subject: "inoculated")))
        #expect(diagnosis.passed == false && diagnosis.reason == .diagnosis)
        try Self.expectOutputsAgree(result)
    }

    @Test("a slot without data fails as data-problem, with nothing to accept; an edited baseline fails as inconsistent-baseline")
    func dataProblemAndInconsistent() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let mute = try Fixture()
        try mute.makeRoot(suite: VerdictDataTests.judgedSuite(server, answers: "blank"))
        let silent = try await Self.run(mute, record: "missing")
        let problems = silent.cases.filter { $0.reason == .dataProblem }
        #expect(!problems.isEmpty && problems.allSatisfy { $0.failure?.contains("nothing to accept") == true && $0.failure?.contains("ACCEPT") == false })
        try Self.expectOutputsAgree(silent)

        let fixture = try Fixture()
        try fixture.makeRoot()
        _ = try await Self.run(fixture, record: "missing")
        // Edit one stored value by hand, behind the store's back.
        let edit = try HelperProcess.runWaiting("/usr/bin/python3", [
            "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE baseline_measures SET value = value - 0.3 WHERE subject = 'control' AND condition = 'none' AND measure = 'capability'\"); c.commit()",
            fixture.folder + "/Baselines/baselines.sqlite",
        ])
        #expect(edit.succeeded, "\(edit.stderr)")
        let edited = try await Self.run(fixture, record: "never")
        let key = MeasureKey(suite: "small", subject: "control", condition: "none", measure: "capability")
        let outcome = try #require(edited.outcome(of: .baseline(key)))
        #expect(outcome.reason == .inconsistentBaseline && outcome.failure?.contains("restore Baselines/") == true, "\(outcome)")
        try Self.expectOutputsAgree(edited)
    }

    @Test("a regressed measure fails as regressed in every output (the golden scenario)")
    func regressed() async throws {
        let scenario = try await GoldenTests.scenario()
        #expect(scenario.result.cases.contains { $0.reason == .regressed })
        #expect(scenario.result.cases.contains { $0.reason == .claim })
        try Self.expectOutputsAgree(scenario.result)
    }

    @Test("a suite is read once per test process: its claim cases, baseline cases and run share one load")
    func suiteReadOnce() async throws {
        let fixture = try Fixture()
        let path = try fixture.makeRoot()
        let runs = SharedRuns()
        let project = try await runs.project(near: fixture.folder + "/Suites/suite.yaml", environment: TestEnvironment.base.setting(["IPGATE_ROOT": fixture.folder]))
        let first = try await runs.suite(path, in: project)
        try "not: a suite".write(toFile: path, atomically: true, encoding: .utf8)
        let second = try await runs.suite(path, in: project)
        #expect(second.name == first.name && second.gateCases == first.gateCases, "read again from disk")
    }

    @Test("a gate case's id survives JSON, so one case can be named again", arguments: [
        GateCaseID.claim(title: "transfer › a › b"), .diagnosis(subject: "inoculated"),
        .baseline(MeasureKey(suite: "s", subject: "a › b", condition: "none", measure: "m")),
    ])
    func idRoundTrip(id: GateCaseID) throws {
        let data = try JSONEncoder().encode(id)
        #expect(try JSONDecoder().decode(GateCaseID.self, from: data) == id)
        #expect(String(decoding: data, as: UTF8.self).contains("\"kind\":\"\(id.kind.rawValue)\""))
    }

    @Test("the not-isolated warning is said once per process, however many suites run, and not at all when the report says it")
    func isolationWarningOnce() async throws {
        let fixture = try Fixture()
        try fixture.makeRoot()
        let said = Mutex<[String]>([])
        let message = Sandbox.Isolation.limitsOnly(reason: "outcome test").description
        SayOnce.oncePerProcess(message) { _ in }  // whatever ran before in this process
        for _ in 0..<3 {
            _ = try await Self.run(fixture, record: "missing", warn: { text in said.withLock { $0.append(text) } })
        }
        #expect(said.withLock { $0.filter { $0 == message } }.isEmpty, "said again after the first time in this process")
        // The command line prints the report, whose header says it: once per run in all.
        let run = try IPGateProcess.run(["run", "Suites/suite.yaml", "--quiet"], in: fixture.folder, environment: ["IPGATE_SANDBOX": "none"])
        #expect(run.output.components(separatedBy: "NOT isolated").count - 1 == 1, "\(run.output)")
    }
}
