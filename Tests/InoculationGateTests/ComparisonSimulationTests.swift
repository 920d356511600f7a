import Foundation
import Testing
@testable import InoculationGate

/// A seeded simulation of the whole baseline comparison — the rule that really
/// decides `regressed` — on item-level models like the reference organisms':
/// items have a shared difficulty (latent normal, correlation ρ = 0.6), and two
/// runs of one model draw different samples on the same items.
///
/// Monte Carlo margins: with R = 2,000 runs the standard error of a share near
/// q is √(q(1−q)/R); each check allows three of them (0.015 at q = 0.05,
/// 0.027 at q = 0.8).
@Suite("Baseline comparison, simulated")
struct ComparisonSimulationTests {
    static let runs = 2_000
    static let alpha = 0.05
    static let power = 0.8

    /// One measure's model: per-item true rates from the organisms' Gaussian copula.
    struct ItemModel {
        var difficulty: [Double]
        var rate: Double

        func itemRates(_ rate: Double) -> [Double] {
            let rho = 0.6, threshold = Normal.quantile(rate)
            return difficulty.map { Normal.cdf((threshold - rho * $0) / (1 - rho * rho).squareRoot()) }
        }

        /// The latent rate whose items average `target` (bisection).
        func rateAveraging(_ target: Double) -> Double {
            var (low, high) = (1e-6, 1 - 1e-6)
            for _ in 0..<60 {
                let mid = (low + high) / 2
                let mean = itemRates(mid).reduce(0, +) / Double(difficulty.count)
                if mean < target { low = mid } else { high = mid }
            }
            return (low + high) / 2
        }
    }

    static func draw(_ rates: [Double], samples: Int, _ random: inout SeededRandom) -> ItemOutcomes {
        var outcomes = ItemOutcomes()
        for (index, p) in rates.enumerated() {
            var successes = 0.0
            for _ in 0..<samples where random.unit() < p { successes += 1 }
            outcomes.add(item: "i\(index)", successes: successes, trials: Double(samples))
        }
        return outcomes
    }

    static func measure(_ index: Int, _ outcomes: ItemOutcomes) -> MeasureResult {
        MeasureResult(
            key: MeasureKey(suite: "sim", subject: "s", condition: "none", measure: "m\(index)"),
            spec: MeasureSpecSnapshot(metric: .passRate, better: .higher, probe: "p"), outcomes: outcomes,
            estimate: Estimate(outcomes), fingerprint: Fingerprint(suiteHash: "h", probeDataHash: "d", scorerVersion: "v"))
    }

    static func stored(_ measure: MeasureResult) -> StoredBaseline {
        let e = measure.estimate!
        let record = BaselineRecord(
            id: nil, suite: "sim", subject: "s", condition: "none", measure: measure.key.measure, metric: .passRate, better: .higher,
            value: e.value, n: e.items, trials: e.trials, lower: e.interval.lower, upper: e.interval.upper, suiteHash: "h",
            probeDataHash: "d", scorerVersion: "v", runId: "base", recordedAt: "", gitCommit: nil)
        return StoredBaseline(record: record, outcomes: measure.outcomes)
    }

    /// Simulates `runs` pairs of runs of `m` measures (`n` items × `samples`); the first
    /// measure worsens by its reported minimum detectable effect when `change` is set.
    /// Returns the share of runs with any flag, the share detecting the changed measure,
    /// and the mean reported MDE.
    static func simulate(m: Int, n: Int, samples: Int, tolerance: Double, change: Bool, seed: UInt64) -> (anyFlag: Double, detected: Double, meanMDE: Double) {
        var random = SeededRandom(seed: seed)
        let baseRates = [0.8, 0.3, 0.55, 0.15, 0.65, 0.4, 0.9, 0.25]
        var anyFlag = 0, detected = 0, mdeSum = 0.0
        var comparator = BaselineComparator(settings: { var s = BaselineSettings(); s.alpha = alpha; s.defaultTolerance = tolerance; return s }())
        comparator.power = power
        for _ in 0..<runs {
            let models = (0..<m).map { j in
                ItemModel(difficulty: (0..<n).map { _ in Normal.quantile(min(max(random.unit(), 1e-9), 1 - 1e-9)) }, rate: baseRates[j % baseRates.count])
            }
            let baselines = models.enumerated().map { j, model in measure(j, draw(model.itemRates(model.rate), samples: samples, &random)) }
            let reported = ComparisonPower(baseline: baselines[0].outcomes, metric: .passRate, better: .higher, tolerance: tolerance, alpha: alpha, comparisons: m, power: power)!
            mdeSum += reported.minimumDetectableEffect
            let currents = models.enumerated().map { j, model -> MeasureResult in
                var rates = model.itemRates(model.rate)
                if change && j == 0 {
                    let mean = rates.reduce(0, +) / Double(n)
                    rates = model.itemRates(model.rateAveraging(max(mean - reported.minimumDetectableEffect, 0.001)))
                }
                return measure(j, draw(rates, samples: samples, &random))
            }
            let accepted = Dictionary(uniqueKeysWithValues: baselines.map { ($0.key, Self.stored($0)) })
            let comparisons = comparator.compare(measures: currents, baselines: accepted, samples: [])
            let first = comparisons.first { $0.key.measure == "m0" }!
            #expect(abs((first.minimumDetectableEffect ?? 0) - reported.minimumDetectableEffect) < 1e-12, "the comparator reports another MDE")
            if comparisons.contains(where: { $0.status == .regressed || $0.status == .improved }) { anyFlag += 1 }
            if first.status == .regressed { detected += 1 }
        }
        let result = (Double(anyFlag) / Double(runs), Double(detected) / Double(runs), mdeSum / Double(runs))
        // For the numbers behind a report: IPGATE_SIMULATION_LOG=1 swift test --filter ComparisonSimulation
        if GateProject.processEnvironment["IPGATE_SIMULATION_LOG"] == "1" {
            print("simulation m \(m), n \(n), K \(samples), tolerance \(tolerance), change \(change): any flag \(result.0), detected \(result.1), mean MDE \(result.2)")
        }
        return result
    }

    @Test("with no change, a run flags anything at most α of the time (2,000 seeded pairs, margin 0.015)")
    func noChange() {
        for (m, n, samples) in [(8, 30, 20), (4, 200, 1)] {
            let result = Self.simulate(m: m, n: n, samples: samples, tolerance: 0.03, change: false, seed: 11)
            #expect(result.anyFlag <= Self.alpha + 0.015, "m \(m), n \(n), K \(samples): \(result.anyFlag) of runs flagged something")
        }
    }

    @Test("a true worsening equal to the reported MDE is flagged regressed at least at the stated power (2,000 seeded pairs, margin 0.027)")
    func detectionAtMDE() {
        for (m, n, samples, tolerance) in [(8, 30, 20, 0.03), (8, 41, 50, 0.05), (4, 200, 1, 0.05)] {
            let result = Self.simulate(m: m, n: n, samples: samples, tolerance: tolerance, change: true, seed: 23)
            #expect(result.detected >= Self.power - 0.027,
                    "m \(m), n \(n), K \(samples), tolerance \(tolerance): detected \(result.detected) at a mean MDE of \(result.meanMDE)")
            #expect(result.meanMDE > tolerance)
        }
    }
}
