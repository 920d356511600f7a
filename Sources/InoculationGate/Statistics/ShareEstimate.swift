import Foundation

/// A share: a ratio of two differences of rates on the same items — ``Form`` says
/// which — with a
/// percentile interval from a paired bootstrap over items — every resample keeps all
/// sides of a drawn item together. Seeded, so the same data always give the same interval.
///
/// A ratio whose denominator may be 0 is no number at all: when the denominator's own
/// bootstrap interval contains 0 the share is **undefined** (``interval`` is nil), never
/// a huge value from a tiny denominator.
package struct ShareEstimate: Sendable, Hashable {
    /// Which differences of the sides' rates `r₀, r₁, r₂` the share divides.
    package enum Form: Sendable, Hashable {
        /// `(r₀ − r₁) / (r₂ − r₁)`: sides twin, inoculated, control — the share of the
        /// control's excess over the inoculated subject that the twin keeps.
        case semantic
        /// `(r₀ − r₁) / (r₀ − r₂)`, `r₂ = 0` with two sides: sides with-prompt,
        /// without-prompt, base — the share of the gain under the prompt that is gone without it.
        case gated

        /// Numerator and denominator from the sides' rates.
        func parts(_ r: [Double]) -> (numerator: Double, denominator: Double) {
            switch self {
            case .semantic: return (r[0] - r[1], r[2] - r[1])
            case .gated: return (r[0] - r[1], r[0] - (r.count == 3 ? r[2] : 0))
            }
        }
    }

    package var estimate: Double?
    /// Nil when the share is undefined.
    package var interval: Interval?
    /// The denominator and its bootstrap interval.
    package var denominator: Double
    package var denominatorInterval: Interval
    package var items: Int
    package var resamples: Int
    package var method: String

    package var isDefined: Bool { interval != nil }

    /// Nil when the sides share no items or a side is not finite.
    package init?(_ form: Form, sides: [ItemOutcomes], resamples: Int = 2000, seed: UInt64, confidence: Double = 0.95) {
        guard sides.count == 3 || (form == .gated && sides.count == 2), sides.allSatisfy(\.isFinite), resamples > 0 else { return nil }
        let shared = sides.dropFirst().reduce(Set(sides[0].itemIDs)) { $0.intersection($1.itemIDs) }.sorted()
        guard !shared.isEmpty else { return nil }
        let counts = sides.map { side in shared.map { side[$0]! } }
        func parts(_ indices: some Sequence<Int>) -> (numerator: Double, denominator: Double)? {
            var sums = [Double](repeating: 0, count: counts.count), weights = sums
            for i in indices {
                for s in counts.indices {
                    sums[s] += counts[s][i].successes
                    weights[s] += counts[s][i].trials
                }
            }
            guard weights.allSatisfy({ $0 > 0 }) else { return nil }
            return form.parts(zip(sums, weights).map { $0 / $1 })
        }
        guard let point = parts(0..<shared.count) else { return nil }
        var random = SeededRandom(seed: seed)
        var replicates: [(numerator: Double, denominator: Double)] = []
        replicates.reserveCapacity(resamples)
        var draw = [Int](repeating: 0, count: shared.count)
        for _ in 0..<resamples {
            for j in draw.indices { draw[j] = random.index(below: shared.count) }
            if let value = parts(draw) { replicates.append(value) }
        }
        self.init(
            point: point, replicates: replicates, items: shared.count, resamples: resamples, confidence: confidence,
            method: "paired bootstrap over items, \(resamples) resamples, percentile; undefined when the denominator's interval contains 0")
    }

    /// The share from published cell counts (k of n per side, no items to pair on): a
    /// parametric bootstrap that redraws each side's k from Binomial(n, k/n) independently.
    package init?(_ form: Form, counts: [(successes: Double, trials: Double)], resamples: Int = 2000, seed: UInt64, confidence: Double = 0.95) {
        guard counts.count == 3 || (form == .gated && counts.count == 2), counts.allSatisfy({ $0.trials >= 1 }), resamples > 0 else { return nil }
        let rates = counts.map { $0.successes / $0.trials }
        let point = form.parts(rates)
        var random = SeededRandom(seed: seed)
        var replicates: [(numerator: Double, denominator: Double)] = []
        replicates.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let drawn = counts.indices.map { side -> Double in
                let n = Int(counts[side].trials.rounded()), p = rates[side]
                var k = 0
                for _ in 0..<n where random.unit() < p { k += 1 }
                return Double(k) / Double(n)
            }
            replicates.append(form.parts(drawn))
        }
        self.init(
            point: point, replicates: replicates, items: 1, resamples: resamples, confidence: confidence,
            method: "parametric bootstrap of independent binomial cells, \(resamples) resamples, percentile (\(MeasureResult.summaryNote))")
    }

    /// The estimate, the denominator's percentile interval, and the share's percentile
    /// interval when that one excludes 0 — from the point and the bootstrap replicates.
    private init(
        point: (numerator: Double, denominator: Double), replicates: [(numerator: Double, denominator: Double)], items: Int, resamples: Int,
        confidence: Double, method: String
    ) {
        let denominators = replicates.map(\.denominator).sorted()
        let shares = replicates.filter { $0.denominator != 0 }.map { $0.numerator / $0.denominator }.sorted()
        let alpha = 1 - confidence
        denominator = point.denominator
        denominatorInterval = Interval(
            lower: RatioEstimate.percentile(denominators, alpha / 2) ?? point.denominator,
            upper: RatioEstimate.percentile(denominators, 1 - alpha / 2) ?? point.denominator, confidence: confidence)
        let defined = (denominatorInterval.lower > 0 || denominatorInterval.upper < 0) && point.denominator != 0 && !shares.isEmpty
        estimate = point.denominator != 0 ? point.numerator / point.denominator : nil
        interval = defined
            ? Interval(lower: RatioEstimate.percentile(shares, alpha / 2)!, upper: RatioEstimate.percentile(shares, 1 - alpha / 2)!, confidence: confidence)
            : nil
        self.items = items
        self.resamples = resamples
        self.method = method
    }
}
