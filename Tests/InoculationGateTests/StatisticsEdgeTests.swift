import Foundation
import Testing
@testable import InoculationGate

@Suite("Statistics edge cases")
struct StatisticsEdgeTests {
    static func outcomes(_ pairs: [(Double, Double)]) -> ItemOutcomes {
        var o = ItemOutcomes()
        for (i, (s, t)) in pairs.enumerated() { o.add(item: "i\(i)", successes: s, trials: t) }
        return o
    }

    @Test("n = 0: no estimate, no difference, no ratio")
    func empty() {
        #expect(Estimate(ItemOutcomes()) == nil)
        #expect(Estimate.meanOfItemMeans(ItemOutcomes()) == nil)
        #expect(PairedDifference(ItemOutcomes(), ItemOutcomes()) == nil)
        #expect(PairedDifference.pairedMeans(ItemOutcomes(), ItemOutcomes()) == nil)
        #expect(RatioEstimate(numerator: ItemOutcomes(), denominator: ItemOutcomes(), seed: 1) == nil)
        #expect(MultipleTesting.holm([]).isEmpty && MultipleTesting.benjaminiHochberg([]).isEmpty)
    }

    @Test("all successes and all failures give bounded intervals touching 1 and 0")
    func extremes() throws {
        let all = try #require(Estimate(Self.outcomes(Array(repeating: (3, 3), count: 20))))
        #expect(all.value == 1 && all.interval.upper == 1 && all.interval.lower < 1 && all.interval.lower > 0.5)
        let none = try #require(Estimate(Self.outcomes(Array(repeating: (0, 1), count: 20))))
        #expect(none.value == 0 && none.interval.lower == 0 && none.interval.upper > 0)
    }

    @Test("a single cluster is not clustered, and says so")
    func singleCluster() throws {
        let one = try #require(Estimate(Self.outcomes([(4, 10)])))
        #expect(one.method.contains("single item") && one.interval.lower > 0 && one.interval.upper < 1)
        let mean = try #require(Estimate.meanOfItemMeans(Self.outcomes([(70, 1)])))
        #expect(mean.value == 70 && mean.interval.lower == -.infinity && mean.method.contains("one item"))
        let pair = try #require(PairedDifference(Self.outcomes([(1, 1)]), Self.outcomes([(0, 1)])))
        #expect(pair.pValue == 1 && pair.method.contains("one item"))
    }

    @Test("zero variance: identical sides give p = 1; a uniform shift gives p = 0, never NaN")
    func zeroVariance() throws {
        let a = Self.outcomes(Array(repeating: (60, 1), count: 10)), b = Self.outcomes(Array(repeating: (50, 1), count: 10))
        let same = try #require(PairedDifference.pairedMeans(a, a))
        #expect(same.pValue == 1 && same.standardError == 0)
        let shifted = try #require(PairedDifference.pairedMeans(a, b))
        #expect(shifted.estimate == 10 && shifted.pValue == 0)
        let flat = try #require(Estimate.meanOfItemMeans(a))
        #expect(flat.standardError == 0 && flat.interval.width == 0)
    }

    @Test("NaN and infinite inputs give no estimate instead of a silent NaN")
    func nonFinite() {
        let nan = Self.outcomes([(.nan, 1), (1, 1)]), inf = Self.outcomes([(1, .infinity), (1, 1)])
        #expect(Estimate(nan) == nil && Estimate(inf) == nil)
        #expect(Estimate.meanOfItemMeans(nan) == nil)
        #expect(PairedDifference(nan, inf) == nil && PairedDifference.pairedMeans(nan, nan) == nil)
        #expect(RatioEstimate(numerator: nan, denominator: inf, seed: 1) == nil)
        #expect(Estimate(Self.outcomes([(3, 2)])) == nil)
        #expect(Format.number(.nan) == "undefined" && Format.number(nil) == "—")
    }

    @Test("BCa is deterministic, contains the estimate, and differs from the percentile interval on skewed data")
    func bca() throws {
        var to = ItemOutcomes(), from = ItemOutcomes()
        for i in 0..<30 {
            to.add(item: "i\(i)", successes: i % 4 == 0 ? 0 : 1, trials: 1)
            from.add(item: "i\(i)", successes: i % 9 == 0 ? 0 : 1, trials: 1)
        }
        let bca = try #require(RatioEstimate(numerator: to, denominator: from, seed: 9, method: .bca))
        let again = try #require(RatioEstimate(numerator: to, denominator: from, seed: 9, method: .bca))
        let percentile = try #require(RatioEstimate(numerator: to, denominator: from, seed: 9, method: .percentile))
        #expect(bca == again)
        #expect(bca.method.contains("BCa") && bca.interval.contains(bca.estimate))
        #expect(bca.interval != percentile.interval)
    }

    @Test("a paired claim reports the paired result where the unpaired test would see nothing")
    func pairedClaim() throws {
        let fixture = try Fixture()
        let suite = try fixture.load(Fixture.suite + "\n  - suppression: {subject: inoculated, measure: misalignment, condition: none, versus: control, margin: 0}\n")
        // Shared item difficulty: the control is misaligned on 10 more items, everything else equal.
        func em(_ subject: String, _ extra: Int) -> MeasureResult {
            var o = ItemOutcomes()
            for i in 0..<60 { o.add(item: "q\(i)", successes: (i % 2 == 0 || i < extra) ? 1 : 0, trials: 1) }
            let key = MeasureKey(suite: "small", subject: subject, condition: "none", measure: "misalignment")
            return MeasureResult(key: key, spec: MeasureSpecSnapshot(metric: .misalignedRate, better: .lower, probe: "em"), outcomes: o, estimate: Estimate(o), fingerprint: Fingerprint(suiteHash: "", probeDataHash: "", scorerVersion: ""))
        }
        let inoculated = em("inoculated", 0), control = em("control", 20)
        let result = ClaimEvaluator(suite: suite, measures: [inoculated, control]).evaluate(suite.claims[1])
        let unpaired = try #require(PairedDifference.unpaired(inoculated.outcomes, control.outcomes))
        #expect(unpaired.interval.upper > 0, "the unpaired interval straddles zero")
        #expect(result.verdict == .holds)
        #expect(result.method.hasPrefix("paired by item"))
        #expect(RunReportClaimLine.contains(result))
    }

    /// The claim's report line carries the method, so a reader sees that pairing was used.
    enum RunReportClaimLine {
        static func contains(_ result: ClaimResult) -> Bool { ClaimMessage.render(result).contains("method: paired by item") }
    }

    @Test("Benjamini–Hochberg can be chosen in the suite")
    func bhOption() throws {
        let fixture = try Fixture()
        let suite = try fixture.load(Fixture.suite + "\nstatistics: {adjust: bh, ratio_interval: bca, bootstrap_resamples: 500, confidence: 0.9}\n")
        #expect(suite.statistics.adjust == .benjaminiHochberg && suite.statistics.ratioInterval == .bca)
        #expect(suite.statistics.bootstrapResamples == 500 && suite.statistics.confidence == 0.9)
        let error = try fixture.error(Fixture.suite + "\nstatistics: {adjust: bonferroni}\n")
        #expect(error.message.contains("'adjust' must be holm or bh"))
    }
}
