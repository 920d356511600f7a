import Foundation
import Testing
@testable import InoculationGate

@Suite("Statistics")
struct StatisticsTests {
    @Test("normal quantile and cdf match published values", arguments: [
        (0.975, 1.959963984540054), (0.5, 0.0), (0.8, 0.8416212335729143), (0.001, -3.090232306167813),
        (1e-10, -6.361340902404056),
    ])
    func normal(p: Double, z: Double) {
        #expect(abs(Normal.quantile(p) - z) < 1e-12)
        #expect(abs(Normal.cdf(z) - p) < 1e-12 * max(1, p * 1e3))
    }

    @Test("normal quantile edges are defined")
    func normalEdges() {
        #expect(Normal.quantile(0) == -.infinity)
        #expect(Normal.quantile(1) == .infinity)
        #expect(Normal.quantile(-0.1).isNaN && Normal.quantile(.nan).isNaN)
    }

    @Test("Wilson interval matches hand-computed values")
    func wilson() throws {
        let eight = try #require(WilsonInterval.interval(successes: 8, trials: 10))
        #expect(abs(eight.lower - 0.49016247153664183) < 1e-12 && abs(eight.upper - 0.9433178485456247) < 1e-12)
        let none = try #require(WilsonInterval.interval(successes: 0, trials: 10))
        #expect(none.lower == 0 && abs(none.upper - 0.2775327998628892) < 1e-12)
        let all = try #require(WilsonInterval.interval(successes: 10, trials: 10))
        #expect(all.upper == 1 && abs(all.lower - 0.7224672001371107) < 1e-12)
        #expect(WilsonInterval.interval(successes: 0, trials: 0) == nil)
    }

    @Test("McNemar exact p-values")
    func mcnemar() {
        #expect(abs(McNemar.exactPValue(b: 1, c: 6) - 0.125) < 1e-12)
        #expect(McNemar.exactPValue(b: 0, c: 0) == 1)
        #expect(McNemar.exactPValue(b: 5, c: 5) == 1)
        #expect(abs(McNemar.exactPValue(b: 0, c: 10) - 2 * pow(0.5, 10)) < 1e-15)
    }

    @Test("Holm and Benjamini–Hochberg adjustments")
    func multiplicity() {
        let holm = MultipleTesting.holm([0.01, 0.04, 0.03])
        #expect(zip(holm, [0.03, 0.06, 0.06]).allSatisfy { abs($0 - $1) < 1e-12 })
        let bh = MultipleTesting.benjaminiHochberg([0.01, 0.04, 0.03])
        #expect(zip(bh, [0.03, 0.04, 0.04]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(MultipleTesting.holm([0.5, 0.9]) == [1, 1])
        #expect(MultipleTesting.holm([]).isEmpty)
    }

    static func binary(_ values: [Int]) -> ItemOutcomes {
        var outcomes = ItemOutcomes()
        for (i, v) in values.enumerated() { outcomes.add(item: String(format: "item-%03d", i), successes: Double(v), trials: 1) }
        return outcomes
    }

    @Test("paired difference of binary items is sd(d)/√n and uses McNemar")
    func pairedBinary() throws {
        let a = Self.binary([1, 1, 1, 0, 1, 1, 0, 1, 1, 1])
        let b = Self.binary([1, 0, 1, 0, 0, 1, 0, 1, 0, 1])
        let d = try #require(PairedDifference(a, b))
        let diffs = [0.0, 1, 0, 0, 1, 0, 0, 0, 1, 0]
        let mean = diffs.reduce(0, +) / 10
        let sd = (diffs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 9).squareRoot()
        #expect(abs(d.estimate - 0.3) < 1e-12)
        #expect(abs(d.standardError - sd / 10.0.squareRoot()) < 1e-12)
        #expect(d.isPaired && d.method.contains("McNemar"))
        #expect(abs(d.pValue - McNemar.exactPValue(b: 3, c: 0)) < 1e-12)
    }

    @Test("pairing finds a difference the unpaired test misses on correlated data")
    func pairingMatters() throws {
        // Both conditions share item difficulty; B fails 8 items A passes, never the reverse.
        let base = (0..<60).map { $0 % 2 }
        let a = Self.binary(base.enumerated().map { $0.offset < 16 ? 1 : $0.element })
        let b = Self.binary(base.enumerated().map { $0.offset < 16 ? ($0.offset < 8 ? 0 : 1) : $0.element })
        let paired = try #require(PairedDifference(a, b))
        let unpaired = try #require(PairedDifference.unpaired(a, b))
        #expect(paired.pValue < 0.05)
        #expect(unpaired.pValue > 0.05)
        #expect(paired.standardError < unpaired.standardError)
    }

    @Test("clustered rate is wider than naive Wilson when items are internally correlated")
    func clustered() throws {
        var outcomes = ItemOutcomes()
        for i in 0..<20 { outcomes.add(item: "q\(i)", successes: i < 6 ? 10 : 0, trials: 10) }
        let estimate = try #require(Estimate(outcomes))
        let naive = try #require(WilsonInterval.interval(successes: 60, trials: 200))
        #expect(estimate.value == 0.3)
        #expect(estimate.interval.width > naive.width * 2)
        #expect(estimate.method.contains("clustered"))
        #expect(Estimate(ItemOutcomes()) == nil)
    }

    @Test("a rate of zero with clustered samples has a non-degenerate interval, no wider than one success's, and a non-zero SE")
    func zeroRate() throws {
        for (items, perItem) in [(24, 10.0), (8, 100.0), (41, 50.0)] {
            var none = ItemOutcomes(), one = ItemOutcomes(), all = ItemOutcomes(), allButOne = ItemOutcomes()
            for i in 0..<items {
                none.add(item: "q\(i)", successes: 0, trials: perItem)
                one.add(item: "q\(i)", successes: i == 0 ? 1 : 0, trials: perItem)
                all.add(item: "q\(i)", successes: perItem, trials: perItem)
                allButOne.add(item: "q\(i)", successes: i == 0 ? perItem - 1 : perItem, trials: perItem)
            }
            let zero = try #require(Estimate(none)), single = try #require(Estimate(one))
            #expect(zero.value == 0 && zero.interval.lower == 0 && zero.interval.upper > 0)
            #expect(zero.interval.width <= single.interval.width, "0/\(items)×\(perItem) is wider than 1/\(items)×\(perItem)")
            #expect(zero.standardError > 0)
            let full = try #require(Estimate(all)), nearlyFull = try #require(Estimate(allButOne))
            #expect(full.interval.upper == 1 && full.interval.width <= nearlyFull.interval.width)
            // Power at the edge: never a zero minimum detectable effect.
            let power = try #require(ComparisonPower(baseline: none, metric: .passRate, better: .higher, tolerance: 0.03, alpha: 0.05, comparisons: 1, power: 0.8))
            #expect(power.standardError > 0 && power.minimumDetectableEffect > 0.03)
        }
    }

    @Test("paired bootstrap is seeded: the same data and seed give the same interval, bit for bit")
    func bootstrap() throws {
        let to = Self.binary((0..<40).map { $0 % 5 == 0 ? 0 : 1 })
        let from = Self.binary((0..<40).map { $0 % 7 == 0 ? 0 : 1 })
        let first = try #require(RatioEstimate(numerator: to, denominator: from, seed: 42))
        let second = try #require(RatioEstimate(numerator: to, denominator: from, seed: 42))
        let other = try #require(RatioEstimate(numerator: to, denominator: from, seed: 43))
        #expect(first == second)
        #expect(first.interval != other.interval)
        #expect(first.interval.contains(first.estimate))
        #expect(RatioEstimate(numerator: to, denominator: Self.binary([0, 0, 0]), seed: 1) == nil)
    }

    @Test("power: minimum detectable effect and items needed")
    func power() {
        let mde = Power.minimumDetectableEffect(standardError: 0.05)
        #expect(abs(mde - (1.959963984540054 + 0.8416212335729143) * 0.05) < 1e-12)
        #expect(Power.itemsNeeded(currentItems: 40, currentEffect: 0.2, targetEffect: 0.1) == 160)
        #expect(Power.itemsNeeded(currentItems: 40, currentEffect: .infinity, targetEffect: 0.1) == nil)
    }
}
