import Foundation
import Testing
@testable import InoculationGate

/// A fixed run larger than `retainedSamples` streams through its plan a chunk at a time
/// and keeps only the samples an output reads; everything it reports must be what the
/// same run holding every sample reports.
@Suite("Streamed runs")
struct StreamingRunTests {
    @Test("a streamed run reports the same measures, counts, claims, comparisons and flipped-item excerpts as one holding every sample, and stores every sample")
    func sameOutcome() async throws {
        let fixture = try Fixture()
        let suite = try fixture.load(Fixture.suite + """

              - suppression: {subject: inoculated, measure: misalignment, condition: none, versus: control}
            """)
        // Baselines from one noise seed; today's runs use another, so items flip.
        var recorder = TestEnvironment.runner(["IPGATE_ORGANISM_NOISE": "1"])
        recorder.options.policy = BaselinePolicy(mode: .all, isCI: false)
        recorder.options.baselinesPath = fixture.folder + "/baselines.sqlite"
        _ = try await recorder.run(suite, baselines: [:])
        let baselines = try BaselineStore(path: fixture.folder + "/baselines.sqlite").accepted(suite: suite.name)
        #expect(!baselines.isEmpty)

        func run(streaming: Bool) async throws -> (RunResult, RunStore) {
            var runner = TestEnvironment.runner(["IPGATE_ORGANISM_NOISE": "2"])
            if streaming {
                runner.options.retainedSamples = 0
                runner.options.chunkSize = 7
            }
            let store = try RunStore(path: fixture.folder + "/runs-\(streaming).sqlite")
            return (try await runner.run(suite, baselines: baselines, runs: store), store)
        }
        let (held, _) = try await run(streaming: false)
        let (streamed, store) = try await run(streaming: true)
        #expect(streamed.sampleCount == held.sampleCount && held.samples.count == held.sampleCount)
        #expect(streamed.samples.count < held.samples.count, "a streamed run keeps only what outputs read")
        #expect(try store.sampleCount(runID: streamed.runID) == held.sampleCount)
        #expect(streamed.measures == held.measures)
        #expect(streamed.counts == held.counts)
        #expect(streamed.claims.map(\.verdict) == held.claims.map(\.verdict) && streamed.claims.map(\.interval) == held.claims.map(\.interval))
        #expect(streamed.comparisons.map(\.status) == held.comparisons.map(\.status))
        let flips = held.comparisons.flatMap(\.flipped)
        #expect(!flips.isEmpty, "the noise seeds should flip some items")
        #expect(streamed.comparisons.flatMap(\.flipped) == flips, "the excerpts come from the kept samples")
        #expect(streamed.cases.map(\.passed) == held.cases.map(\.passed))
        #expect(RunReport(streamed).render().replacingOccurrences(of: streamed.runID, with: "RUN")
            == RunReport(held).render().replacingOccurrences(of: held.runID, with: "RUN"))
    }
}
