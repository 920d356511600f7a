import Foundation

/// The ratio of two rates on the same items, `rate(numerator) / rate(denominator)`,
/// with a percentile interval from a paired bootstrap over items (Efron &
/// Tibshirani 1993): each resample draws items with replacement and keeps both
/// sides of every drawn item together. Seeded, so the same data always gives the
/// same interval.
package struct RatioEstimate: Sendable, Hashable, Codable {
    package var estimate: Double
    package var interval: Interval
    package var resamples: Int
    /// Resamples whose denominator rate was zero (left out of the interval).
    package var undefinedResamples: Int
    package var items: Int
    package var method: String

    /// The ratio and its interval, or nil when the denominator rate is zero or
    /// the two sides share no items.
    /// How the interval is read off the bootstrap distribution.
    package enum Method: String, Sendable, Hashable, CaseIterable, Codable {
        /// The α/2 and 1−α/2 percentiles of the replicates.
        case percentile
        /// Bias-corrected and accelerated (Efron 1987): percentiles shifted by the
        /// median bias `z₀` and the jackknife acceleration `a`.
        case bca
    }

    package init?(
        numerator: ItemOutcomes, denominator: ItemOutcomes, resamples: Int = 2000, seed: UInt64,
        confidence: Double = 0.95, method intervalMethod: Method = .percentile
    ) {
        guard numerator.isFinite, denominator.isFinite, resamples > 0 else { return nil }
        let shared = Set(numerator.itemIDs).intersection(denominator.itemIDs).sorted()
        guard !shared.isEmpty else { return nil }
        let num = shared.map { numerator[$0]! }, den = shared.map { denominator[$0]! }
        func ratio(_ indices: some Sequence<Int>) -> Double? {
            var ys = 0.0, ws = 0.0, yd = 0.0, wd = 0.0
            for i in indices {
                ys += num[i].successes; ws += num[i].trials
                yd += den[i].successes; wd += den[i].trials
            }
            guard ws > 0, wd > 0, yd > 0 else { return nil }
            return (ys / ws) / (yd / wd)
        }
        guard let point = ratio(0..<shared.count) else { return nil }
        var random = SeededRandom(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        var undefined = 0
        var draw = [Int](repeating: 0, count: shared.count)
        for _ in 0..<resamples {
            for j in draw.indices { draw[j] = random.index(below: shared.count) }
            if let value = ratio(draw) { values.append(value) } else { undefined += 1 }
        }
        values.sort()
        let alpha = 1 - confidence
        var levels = (alpha / 2, 1 - alpha / 2)
        var label = "percentile"
        if intervalMethod == .bca {
            let jackknife = (0..<shared.count).compactMap { left in ratio((0..<shared.count).lazy.filter { $0 != left }) }
            if let adjusted = Self.bcaLevels(values, point: point, jackknife: jackknife, alpha: alpha) {
                levels = adjusted
                label = "BCa"
            } else {
                label = "percentile (BCa undefined: every replicate on one side of the estimate)"
            }
        }
        estimate = point
        interval = Interval(
            lower: Self.percentile(values, levels.0) ?? point,
            upper: Self.percentile(values, levels.1) ?? point, confidence: confidence)
        self.resamples = resamples
        undefinedResamples = undefined
        items = shared.count
        method = "paired bootstrap over items, \(resamples) resamples, \(label)"
    }

    /// The percentile levels of the BCa interval, or nil when the bias correction is infinite.
    static func bcaLevels(_ sorted: [Double], point: Double, jackknife: [Double], alpha: Double) -> (Double, Double)? {
        guard !sorted.isEmpty, jackknife.count >= 2 else { return nil }
        let below = Double(sorted.filter { $0 < point }.count) + 0.5 * Double(sorted.filter { $0 == point }.count)
        let z0 = Normal.quantile(below / Double(sorted.count))
        guard z0.isFinite else { return nil }
        let mean = jackknife.reduce(0, +) / Double(jackknife.count)
        let squares = jackknife.reduce(0) { $0 + pow(mean - $1, 2) }
        let cubes = jackknife.reduce(0) { $0 + pow(mean - $1, 3) }
        let acceleration = squares > 0 ? cubes / (6 * pow(squares, 1.5)) : 0
        func level(_ q: Double) -> Double {
            let z = Normal.quantile(q)
            return Normal.cdf(z0 + (z0 + z) / (1 - acceleration * (z0 + z)))
        }
        return (level(alpha / 2), level(1 - alpha / 2))
    }

    /// Linear-interpolation percentile of sorted values (numpy's default, type 7).
    static func percentile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        let fraction = position - Double(low)
        return sorted[low] + (sorted[high] - sorted[low]) * fraction
    }
}
