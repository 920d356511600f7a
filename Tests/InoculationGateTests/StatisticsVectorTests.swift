import Foundation
import Testing
@testable import InoculationGate

/// Reference values computed by scipy and statsmodels (`Vectors/make_vectors.py`
/// regenerates them); the Swift statistics must match to 1e-9.
@Suite("Statistics against scipy and statsmodels")
struct StatisticsVectorTests {
    /// Read on each use (a few kB): a stored `[String: Any]` is not Sendable.
    static var vectors: [String: Any] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/statistics-vectors.json")
        let data = try! Data(contentsOf: path)
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func cases(_ name: String) -> [[String: Any]] { vectors[name] as! [[String: Any]] }
    static func number(_ object: [String: Any], _ key: String) -> Double { (object[key] as! NSNumber).doubleValue }
    static func numbers(_ object: [String: Any], _ key: String) -> [Double] { (object[key] as! [NSNumber]).map(\.doubleValue) }

    /// 1e-9 absolute for ordinary values (relative above 1); relative 1e-9 for
    /// tail values below 1e-6, where an absolute bound would say nothing.
    static func close(_ a: Double, _ b: Double) -> Bool {
        abs(b) < 1e-6 ? abs(a - b) <= 1e-9 * abs(b) : abs(a - b) <= 1e-9 * max(1, abs(b))
    }

    @Test("normal quantile and cdf")
    func normal() {
        for c in Self.cases("normal") {
            #expect(Self.close(Normal.quantile(Self.number(c, "p")), Self.number(c, "quantile")), "\(c)")
            #expect(Self.close(Normal.cdf(Self.number(c, "x")), Self.number(c, "cdf")), "\(c)")
        }
    }

    @Test("Student t cdf and quantile")
    func studentT() {
        for c in Self.cases("student_t") {
            let df = Self.number(c, "df")
            #expect(Self.close(StudentT.cdf(Self.number(c, "t"), df: df), Self.number(c, "cdf")), "\(c)")
            #expect(Self.close(StudentT.quantile(Self.number(c, "quantile_p"), df: df), Self.number(c, "quantile")), "\(c)")
        }
    }

    @Test("Wilson intervals (statsmodels proportion_confint, method wilson)")
    func wilson() throws {
        for c in Self.cases("wilson") {
            let interval = try #require(WilsonInterval.interval(
                successes: Self.number(c, "successes"), trials: Self.number(c, "trials"), confidence: Self.number(c, "confidence")))
            #expect(Self.close(interval.lower, Self.number(c, "lower")), "\(c)")
            #expect(Self.close(interval.upper, Self.number(c, "upper")), "\(c)")
        }
    }

    @Test("McNemar exact p-values (statsmodels mcnemar, exact)")
    func mcnemar() {
        for c in Self.cases("mcnemar_exact") {
            let p = McNemar.exactPValue(b: Int(Self.number(c, "b")), c: Int(Self.number(c, "c")))
            #expect(Self.close(p, Self.number(c, "p")), "\(c)")
        }
    }

    @Test("paired t on item means (scipy ttest_rel)")
    func pairedT() throws {
        for c in Self.cases("paired_t") {
            let x = Self.numbers(c, "x"), y = Self.numbers(c, "y")
            var a = ItemOutcomes(), b = ItemOutcomes()
            for i in x.indices {
                a.add(item: String(format: "%03d", i), successes: x[i], trials: 1)
                b.add(item: String(format: "%03d", i), successes: y[i], trials: 1)
            }
            let d = try #require(PairedDifference.pairedMeans(a, b))
            #expect(Self.close(d.estimate, Self.number(c, "mean")))
            #expect(Self.close(d.standardError, Self.number(c, "se")))
            #expect(Self.close(d.estimate / d.standardError, Self.number(c, "t")))
            #expect(Self.close(d.pValue, Self.number(c, "p")), "p \(d.pValue) vs \(Self.number(c, "p"))")
        }
    }

    @Test("item-clustered standard error (statsmodels OLS, cov_type cluster)")
    func clustered() throws {
        for c in Self.cases("clustered_mean") {
            let groups = (c["groups"] as! [NSNumber]).map(\.intValue), values = Self.numbers(c, "values")
            var outcomes = ItemOutcomes()
            for (g, v) in zip(groups, values) { outcomes.add(item: String(format: "g%03d", g), successes: v, trials: 1) }
            let estimate = try #require(Estimate(outcomes))
            #expect(Self.close(estimate.value, Self.number(c, "mean")))
            #expect(Self.close(estimate.standardError, Self.number(c, "se")), "\(estimate.standardError) vs \(Self.number(c, "se"))")
        }
    }

    @Test("Holm and Benjamini–Hochberg (statsmodels multipletests)")
    func adjust() {
        for c in Self.cases("adjust") {
            let p = Self.numbers(c, "p")
            #expect(zip(MultipleTesting.holm(p), Self.numbers(c, "holm")).allSatisfy { Self.close($0, $1) }, "\(c)")
            #expect(zip(MultipleTesting.benjaminiHochberg(p), Self.numbers(c, "bh")).allSatisfy { Self.close($0, $1) }, "\(c)")
        }
    }

    /// statsmodels' two-sided power also counts the far tail, which the usual
    /// formula drops; the two agree well within the 1% the issue asks for.
    @Test("minimum detectable effect and required items (statsmodels NormalIndPower) within 1%")
    func power() throws {
        for c in Self.cases("power") {
            let n = Self.number(c, "n"), sd = Self.number(c, "sd"), alpha = Self.number(c, "alpha"), power = Self.number(c, "power")
            let paired = Power.minimumDetectableEffect(standardError: sd / n.squareRoot(), alpha: alpha, power: power)
            let independent = Power.minimumDetectableEffect(standardError: sd * (2 / n).squareRoot(), alpha: alpha, power: power)
            #expect(abs(paired / Self.number(c, "mde_paired") - 1) < 0.01, "\(c)")
            #expect(abs(independent / Self.number(c, "mde_independent") - 1) < 0.01, "\(c)")
            let target = Self.number(c, "target")
            let nPaired = try #require(Power.exactItemsNeeded(currentItems: Int(n), currentEffect: paired, targetEffect: target))
            let nIndependent = try #require(Power.exactItemsNeeded(currentItems: Int(n), currentEffect: independent, targetEffect: target))
            #expect(abs(nPaired / Self.number(c, "n_paired") - 1) < 0.01, "\(nPaired) vs \(Self.number(c, "n_paired"))")
            #expect(abs(nIndependent / Self.number(c, "n_independent") - 1) < 0.01, "\(nIndependent) vs \(Self.number(c, "n_independent"))")
        }
    }
}
