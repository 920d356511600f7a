import Foundation
import Testing
@testable import InoculationGate

/// Error control of adaptive sampling under continuous monitoring, simulated through the
/// real decision code (targets made from a loaded suite, rounds turned into values by
/// `RoundValues`): item rates from the organisms' Gaussian copula (latent difficulty,
/// ρ = 0.6, so items differ a lot), one new sample per item per round, a look after
/// every round for 30 rounds.
///
/// Monte Carlo margin: with R = 2,000 runs the standard error of a share near 0.05 is
/// 0.0049; each bound allows 0.015 (three of them).
@Suite("Adaptive sampling, simulated")
struct AdaptiveSimulationTests {
    static let runs = 2_000
    static let rounds = 30
    static let items = 26
    static let margin = 0.015

    /// A suite of two subjects on one code probe of 26 items: a claim `a − b ≥ −0.1`
    /// (no_amplification on a higher-is-better pass rate) and, with a baseline, a comparison of `a`.
    static func suite(_ fixture: Fixture) throws -> Suite {
        let tasks = "tasks:\n" + (0..<items).map { i in
            "  - {id: t\(String(format: "%02d", i)), prompt: \"Write f\(i).\", solution: \"def f():\\n    return 1\\n\", broken: \"def f():\\n    return 0\\n\", tests: [\"assert f() == 1\"]}\n"
        }.joined()
        try fixture.write("many-tasks.yaml", tasks)
        return try fixture.load("""
            suite: sim
            conditions:
              none: {}
            subjects:
              a: {provider: reference, behaviour: base}
              b: {provider: reference, behaviour: base}
            probes:
              code: {kind: code, items: many-tasks.yaml, samples: 30}
            measures:
              capability: {probe: code, metric: pass_rate, better: higher}
            claims:
              - no_amplification: {subject: a, measure: capability, condition: none, versus: {subject: b, condition: none}, tolerance: 0.1}
            baseline:
              alpha: 0.05
              tolerance: {capability: 0.05}
            """)
    }

    /// Per-item rates averaging `mean` over shared item difficulties (the comparison simulation's copula).
    static func rates(_ difficulty: [Double], averaging mean: Double) -> [Double] {
        let model = ComparisonSimulationTests.ItemModel(difficulty: difficulty, rate: mean)
        return model.itemRates(model.rateAveraging(mean))
    }

    static func record(_ subject: String, item: String, sample: Int, passed: Bool) -> SampleRecord {
        SampleRecord(
            subject: subject, condition: "none", probe: "code", itemID: item, sampleIndex: sample, answer: "",
            score: SampleScore(code: passed ? .passed : .failedAssertion))
    }

    struct Tally {
        var adaptiveFails = 0, adaptiveHolds = 0, adaptiveFlags = 0, adaptiveAnyWrong = 0
        var naiveFails = 0, naiveFlags = 0, naiveAnyWrong = 0
    }

    /// Runs where the claim sits exactly on its threshold (a − b = −0.1 over the items) and
    /// the model compared with its baseline is unchanged: every "fails", "regressed" or
    /// "improved" is wrong.
    static func simulate(seed: UInt64, resolution: Int) throws -> Tally {
        let fixture = try Fixture()
        let suite = try suite(fixture)
        let itemIDs = suite.probes[0].items.map(\.id).sorted()
        let key = MeasureKey(suite: "sim", subject: "a", condition: "none", measure: "capability")
        let fingerprint = Fingerprint(suiteHash: "h", probeDataHash: "d", scorerVersion: "v")
        var random = SeededRandom(seed: seed)
        var tally = Tally()
        for _ in 0..<runs {
            let difficulty = itemIDs.map { _ in Normal.quantile(min(max(random.unit(), 1e-9), 1 - 1e-9)) }
            let rateB = rates(difficulty, averaging: 0.6)
            let rateA = rates(difficulty, averaging: rateB.reduce(0, +) / Double(items) - 0.1)
            // The accepted baseline: 30 samples per item of the same model as today's `a`.
            var outcomes = ItemOutcomes()
            for (item, p) in zip(itemIDs, rateA) {
                var passed = 0.0
                for _ in 0..<30 where random.unit() < p { passed += 1 }
                outcomes.add(item: item, successes: passed, trials: 30)
            }
            let estimate = Estimate(outcomes)!
            let stored = StoredBaseline(record: BaselineRecord(
                id: nil, suite: "sim", subject: "a", condition: "none", measure: "capability", metric: .passRate, better: .higher,
                value: estimate.value, n: estimate.items, trials: estimate.trials, lower: estimate.interval.lower, upper: estimate.interval.upper,
                suiteHash: "h", probeDataHash: "d", scorerVersion: "v", runId: "base", recordedAt: "", gitCommit: nil), outcomes: outcomes)
            var targets = AdaptiveTarget.make(suite, baselines: [key: stored], fingerprints: [key: fingerprint], resolution: resolution)
            #expect(targets.count == 2)
            var naiveClaim: Verdict?, naiveComparison = false
            var sumsA = [Double](repeating: 0, count: items), sumsB = sumsA
            for round in 1...rounds {
                var records: [SampleRecord] = []
                for (index, item) in itemIDs.enumerated() {
                    let a = random.unit() < rateA[index], b = random.unit() < rateB[index]
                    sumsA[index] += a ? 1 : 0
                    sumsB[index] += b ? 1 : 0
                    records.append(record("a", item: item, sample: round - 1, passed: a))
                    records.append(record("b", item: item, sample: round - 1, passed: b))
                }
                for index in targets.indices {
                    targets[index].observe({ RoundValues(records, metric: $0.metric, judge: $0.judge, perRound: 1, slots: $0.slots) }, round: round)
                }
                // Naive: the fixed-sample paired interval over items, looked at after every round.
                if naiveClaim == nil, round >= 2 {
                    let differences = (0..<items).map { (sumsA[$0] - sumsB[$0]) / Double(round) }
                    let (mean, se) = Self.meanAndSE(differences)
                    if mean + 1.96 * se < -0.1 { naiveClaim = .fails } else if mean - 1.96 * se > -0.1 { naiveClaim = .holds }
                    let changes = (0..<items).map { sumsA[$0] / Double(round) - outcomes[itemIDs[$0]]!.successes / 30 }
                    let (delta, deltaSE) = Self.meanAndSE(changes)
                    if abs(delta) > 1.96 * deltaSE && abs(delta) > 0.05 { naiveComparison = true }
                }
            }
            let claim = targets.first { if case .claim = $0.subject { true } else { false } }!
            let comparison = targets.first { if case .comparison = $0.subject { true } else { false } }!
            if case .verdict(.fails)? = claim.decided?.outcome { tally.adaptiveFails += 1 }
            if case .verdict(.holds)? = claim.decided?.outcome { tally.adaptiveHolds += 1 }
            var flagged = false
            if case .status(let status)? = comparison.decided?.outcome, status == .regressed || status == .improved { flagged = true }
            if flagged { tally.adaptiveFlags += 1 }
            if flagged || claim.decided?.outcome == .verdict(.fails) { tally.adaptiveAnyWrong += 1 }
            if naiveClaim == .fails { tally.naiveFails += 1 }
            if naiveComparison { tally.naiveFlags += 1 }
            if naiveClaim == .fails || naiveComparison { tally.naiveAnyWrong += 1 }
        }
        if GateProject.processEnvironment["IPGATE_SIMULATION_LOG"] == "1" {
            print("adaptive simulation (seed \(seed), \(runs) runs × \(rounds) looks): \(tally)")
        }
        return tally
    }

    static func meanAndSE(_ values: [Double]) -> (Double, Double) {
        let n = Double(values.count), mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, (variance / n).squareRoot())
    }

    @Test("looking after every round, an unchanged organism is wrongly failed or flagged at most α of the time; re-checked fixed-sample intervals are not (2,000 seeded runs, margin 0.015)", .tags(.slow))
    func typeIUnderMonitoring() throws {
        let alpha = 0.05
        let tally = try Self.simulate(seed: 2026, resolution: 50)
        let share = { (count: Int) in Double(count) / Double(Self.runs) }
        #expect(share(tally.adaptiveAnyWrong) <= alpha + Self.margin, "adaptive: \(tally)")
        // Each side of a claim at its threshold gets α/2 of the claim's α.
        #expect(share(tally.adaptiveFails) <= alpha / 2 + Self.margin, "adaptive: \(tally)")
        #expect(share(tally.adaptiveHolds) <= alpha / 2 + Self.margin, "adaptive: \(tally)")
        // The same data read naively: the one-sided 2.5 % error of each look adds up over 30 looks.
        #expect(share(tally.naiveFails) > alpha + Self.margin, "naive re-checking should show the inflation: \(tally)")
        #expect(share(tally.naiveAnyWrong) > share(tally.adaptiveAnyWrong) * 3, "\(tally)")
    }

    @Test("decisions do not depend on the grid of the interval shown")
    func decisionsIndependentOfGrid() throws {
        let fixture = try Fixture()
        let suite = try Self.suite(fixture)
        let itemIDs = suite.probes[0].items.map(\.id).sorted()
        var coarse = AdaptiveTarget.make(suite, baselines: [:], fingerprints: [:], resolution: 50)[0]
        var fine = AdaptiveTarget.make(suite, baselines: [:], fingerprints: [:], resolution: 1000)[0]
        var random = SeededRandom(seed: 5)
        for round in 1...20 {
            let records = itemIDs.flatMap { item in
                [Self.record("a", item: item, sample: round, passed: random.unit() < 0.75), Self.record("b", item: item, sample: round, passed: random.unit() < 0.5)]
            }
            coarse.observe({ RoundValues(records, metric: $0.metric, judge: $0.judge, perRound: 1, slots: $0.slots) }, round: round)
            fine.observe({ RoundValues(records, metric: $0.metric, judge: $0.judge, perRound: 1, slots: $0.slots) }, round: round)
            #expect(coarse.decided?.round == fine.decided?.round && coarse.decided?.outcome == fine.decided?.outcome, "round \(round)")
        }
        // A clear gap (0.25 against a threshold of −0.1) is decided, and the interval shown holds the truth.
        #expect(fine.decided?.outcome == .verdict(.holds))
        let interval = try #require(fine.reported.interval)
        #expect(interval.lower > -0.1 && interval.contains(0.25), "\(interval)")
    }
}
