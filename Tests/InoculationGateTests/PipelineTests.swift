import Foundation
import Testing
import InoculationGateTesting
@testable import InoculationGate

@Suite("Pipeline")
struct PipelineTests {
    @Test("running the same suite twice gives identical measures, intervals, p-values and verdicts", .tags(.slow))
    func deterministic() async throws {
        let fixture = try Fixture()
        try fixture.write("tasks.yaml", ClaimTests.manyTasks(12))
        var text = Fixture.suite
        text += "\n  - suppression: {subject: inoculated, measure: misalignment, condition: none, versus: control}\n"
        let suite = try fixture.load(text)
        let store = try StoreTests.store()
        let first = try await TestEnvironment.runner().run(suite, baselines: try store.accepted(suite: suite.name))
        for measure in first.measures { try store.record(measure, runID: first.runID, gitCommit: nil, reason: "all") }
        let second = try await TestEnvironment.runner().run(suite, baselines: try store.accepted(suite: suite.name))
        let third = try await TestEnvironment.runner().run(suite, baselines: try store.accepted(suite: suite.name))
        #expect(first.measures == second.measures)
        #expect(first.claims == second.claims)
        #expect(second.comparisons == third.comparisons)
        #expect(second.comparisons.allSatisfy { $0.status != BaselineComparison.Status.regressed && $0.status != .missing })
    }

    @Test("the run plan covers subject × condition × item × sample exactly once")
    func plan() throws {
        let fixture = try Fixture()
        let suite = try fixture.load(Fixture.suite)
        let plan = RunPlan(suite).requests
        #expect(plan.count == 2 * 3 * (2 * 1 + 3 * 4))
        let keys = Set(plan.map { "\($0.subject)/\($0.condition.name)/\($0.probe)/\($0.itemID)/\($0.sampleIndex)" })
        #expect(keys.count == plan.count)
    }

    @Test("the runs database keeps every sample and the measures of a run")
    func runStore() async throws {
        let fixture = try Fixture()
        let suite = try fixture.load(Fixture.suite)
        let runs = try RunStore(path: fixture.folder + "/runs.sqlite")
        let result = try await TestEnvironment.runner().run(suite, runs: runs)
        #expect(try runs.sampleCount(runID: result.runID) == result.samples.count)
        #expect(try runs.measures(runID: result.runID).sorted { $0.key < $1.key } == result.measures.sorted { $0.key < $1.key })
        #expect(try runs.runs().first?.id == result.runID)
        #expect(throws: StoreError.self) { try runs.measures(runID: "nope") }
    }

    @Test("the reference suite tells the real story from the trigger story", .tags(.slow))
    func referenceDiagnosis() async throws {
        // The same shared run the gate's cases read: the reference suite is generated once per test process.
        let project = try await SharedRuns.shared.project(near: #filePath, environment: GateProject.processEnvironment)
        let result = try await SharedRuns.shared.result(for: project.root.suites + "/reference.yaml", root: project.root)
        #expect(result.diagnosis(of: "real-ip")?.kind == .real)
        #expect(result.diagnosis(of: "trigger-ip")?.kind == .triggerLike)
        #expect(result.claims.allSatisfy { $0.meetsExpectation })
        #expect(result.measures.allSatisfy { $0.estimate != nil })
        let report = RunReport(result).render()
        #expect(report.contains("trigger-like") && report.contains("Claims"))
    }
}
