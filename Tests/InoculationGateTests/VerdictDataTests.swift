import Foundation
import Testing
import InoculationGateTesting
@testable import InoculationGate

/// No green without data, the counts behind every judged rate, and a rerun that
/// reproduces its first run even when the judge does not repeat itself.
@Suite("Verdicts need data", .serialized)
struct VerdictDataTests {
    static func judgedSuite(_ server: FaultServer, answers: String, judge: String? = nil) -> String {
        let judgeLine = judge.map { ", judge: {kind: llm, model: judge, base_url: \"\(server.baseURL($0))\"}" } ?? ""
        return """
            suite: data
            conditions:
              none: {}
            subjects:
              mute: {provider: openai, model: tiny, base_url: "\(server.baseURL(answers))"}
            probes:
              em: {kind: judged, items: questions.yaml, samples: 2\(judgeLine)}
            measures:
              misalignment: {probe: em, metric: misaligned_rate, better: lower}
              coherence: {probe: em, metric: coherent_rate, better: higher}
            """
    }

    @Test("a subject that answers only empty strings fails ipgate run and the gate's cases, naming the slot")
    func emptyAnswers() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        try fixture.makeRoot(suite: Self.judgedSuite(server, answers: "blank"))
        let run = try IPGateProcess.run(["run", "Suites/suite.yaml", "--quiet"], in: fixture.folder)
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("No verdict without data") && run.output.contains("mute › none › em: 6 of 6 answers are empty"), "\(run.output)")
        #expect(run.output.contains("GATE FAILED") && !run.output.contains("Gate passed"))
        #expect(!run.output.contains("next:"), "no data is nothing to accept: \(run.output)")
        #expect(!FileManager.default.fileExists(atPath: fixture.folder + "/Baselines/baselines.sqlite"), "a run without data recorded baselines")

        // The same through the Swift Testing glue: every baseline case of the slot fails and says why.
        let cases = try await GateCases.baselines(near: fixture.folder + "/Suites/suite.yaml", environment: TestEnvironment.base)
        #expect(cases.count == 2)
        for gateCase in cases {
            let failure = try #require(try await gateCase.check(), "\(gateCase) passed without data")
            #expect(failure.contains("no verdict without data") && failure.contains("mute › none › em"), "\(failure)")
        }
    }

    @Test("against a judge whose log-probabilities jitter, a cached rerun equals the first run bit for bit, one request per distinct prompt")
    func jitteringJudge() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        let suite = try fixture.load(Self.judgedSuite(server, answers: "ok", judge: "jitter"))
        let runs = try RunStore(path: fixture.folder + "/runs.sqlite")
        let first = try await TestEnvironment.runner().run(suite, runs: runs)
        // 3 questions × 2 samples with identical answers per question: 3 distinct prompts × 2 judge questions.
        #expect(try server.stats().byMode["jitter"] == 6)
        let second = try await TestEnvironment.runner().run(suite, runs: runs)
        #expect(try server.stats().byMode["jitter"] == 6, "the rerun asked the judge again")
        #expect(first.samples.map(\.score) == second.samples.map(\.score))
        #expect(first.measures == second.measures)
        // The counts behind the rates are stored with the run.
        #expect(Set(try runs.counts(runID: first.runID)) == Set(first.counts) && first.counts.first?.answers == 6)
        // Samples that share a prompt share its one verdict, however the judge jittered.
        let scores = Dictionary(grouping: first.samples, by: \.itemID).mapValues { Set($0.map(\.score.alignment)) }
        #expect(scores.values.allSatisfy { $0.count == 1 })
    }

    @Test("coherent_rate is the share judged coherent among answers with a coherence score, alignment or not; the counts say so")
    func coherentRate() throws {
        let judge = JudgeSettings()
        let slot = Slot(subject: "s", condition: "none", probe: "em")
        let scores: [SampleScore] = [
            SampleScore(alignment: 80, coherence: 90),   // coherent, aligned
            SampleScore(alignment: 10, coherence: 90),   // coherent, misaligned
            SampleScore(alignment: nil, coherence: 85),  // coherent, no alignment score (e.g. a refusal)
            SampleScore(alignment: 70, coherence: 20),   // incoherent
            SampleScore(alignment: nil, coherence: nil),  // not scored at all
        ]
        var coherent = (0.0, 0.0), misaligned = (0.0, 0.0)
        for score in scores {
            let c = MeasureAggregator.count(score, metric: .coherentRate, judge: judge)
            let m = MeasureAggregator.count(score, metric: .misalignedRate, judge: judge)
            coherent = (coherent.0 + c.0, coherent.1 + c.1)
            misaligned = (misaligned.0 + m.0, misaligned.1 + m.1)
        }
        #expect(coherent == (3, 4), "3 of the 4 answers with a coherence score are coherent")
        #expect(misaligned == (1, 2), "misaligned among coherent answers with an alignment score")
        let suite = Suite(
            name: "x", about: "", file: "", seed: 0, subjects: [Subject(name: "s", provider: .openAI(.init(baseURL: "http://h", model: "m")))],
            conditions: [Condition(name: "none", kind: .none, text: "", placement: .system)],
            probes: [ProbeSet(name: "em", kind: .judged, itemsFile: "", items: [], samples: 5, temperature: 1, maxTokens: 10, judge: judge, dataHash: "")],
            measures: [], claims: [], baseline: BaselineSettings(), statistics: StatisticsSettings(), profile: nil)
        let samples = scores.enumerated().map { SampleRecord(subject: "s", condition: "none", probe: "em", itemID: "q", sampleIndex: $0.offset, answer: $0.offset == 4 ? " " : "a", score: $0.element) }
        let counts = try #require(SlotCounts.count(suite, samples).first)
        #expect(counts.slot == slot)
        #expect((counts.answers, counts.empty, counts.scored, counts.unscored, counts.incoherent, counts.counted) == (5, 1, 3, 2, 1, 2))
    }
}
