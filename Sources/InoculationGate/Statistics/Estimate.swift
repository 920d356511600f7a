/// A rate or a mean with its uncertainty.
///
/// For rates (this initialiser):
/// With one sample per item this is the plain Wilson interval. With several
/// samples per item, samples of one item are not independent, so the standard
/// error is the item-clustered (linearised ratio) one,
/// `SE² = n/(n−1) · Σᵢ (yᵢ − r·wᵢ)² / W²`, and the Wilson interval is built on
/// the effective sample size `r(1−r)/SE²` (never more than the sample count).
/// When the rate is 0 or 1 the data say nothing about the clustering, so the
/// effective size is the one that a single success (or failure) in the same
/// items would give: the interval for 0 of N is never wider than for 1 of N
/// under the same design. At the edges the standard error is the interval's
/// half-width over z, never 0, so power and minimum detectable effects agree
/// with the interval.
package struct Estimate: Sendable, Hashable, Codable {
    package var value: Double
    package var interval: Interval
    package var standardError: Double
    package var items: Int
    package var trials: Double
    package var successes: Double
    /// `wilson` or `wilson, item-clustered`.
    package var method: String

    /// The estimate for `outcomes`, or nil when there is no trial at all.
    package init?(_ outcomes: ItemOutcomes, confidence: Double = 0.95) {
        guard outcomes.isFinite, outcomes.counts.values.allSatisfy({ $0.successes >= 0 && $0.successes <= $0.trials }),
              let rate = outcomes.rate
        else { return nil }
        let trials = outcomes.totalTrials
        let n = outcomes.itemCount
        value = rate
        self.trials = trials
        successes = outcomes.totalSuccesses
        items = n
        let binomialVariance = rate * (1 - rate) / trials
        let effectiveTrials: Double
        var standardError: Double
        if outcomes.counts.values.allSatisfy({ $0.trials <= 1 }) || n < 2 {
            effectiveTrials = trials
            standardError = binomialVariance.squareRoot()
            method = n < 2 && trials > 1 ? "wilson (single item: not clustered)" : "wilson"
        } else if rate == 0 || rate == 1 {
            effectiveTrials = Self.effectiveTrials(Self.oneFlipped(outcomes, towardsOne: rate == 0)) ?? trials
            standardError = 0
            method = "wilson, item-clustered"
        } else {
            let variance = Self.clusteredVariance(outcomes, rate: rate)
            standardError = variance.squareRoot()
            effectiveTrials = variance > 0 ? min(trials, rate * (1 - rate) / variance) : trials
            method = "wilson, item-clustered"
        }
        let interval = WilsonInterval.interval(successes: rate * effectiveTrials, trials: effectiveTrials, confidence: confidence)
            ?? Interval(lower: 0, upper: 1, confidence: confidence)
        if rate == 0 || rate == 1 {
            standardError = max(standardError, interval.width / (2 * Normal.criticalValue(alpha: 1 - confidence)))
        }
        self.interval = interval
        self.standardError = standardError
    }

    /// The clustered effective sample size `r(1−r)/SE²` (at most the trials), or nil at the edges.
    static func effectiveTrials(_ outcomes: ItemOutcomes) -> Double? {
        guard let rate = outcomes.rate, rate > 0, rate < 1 else { return nil }
        let variance = clusteredVariance(outcomes, rate: rate)
        return variance > 0 ? min(outcomes.totalTrials, rate * (1 - rate) / variance) : outcomes.totalTrials
    }

    /// `outcomes` with one trial of the item with the most trials turned to a success
    /// (or, `towardsOne: false`, to a failure): the nearest data off the edge.
    static func oneFlipped(_ outcomes: ItemOutcomes, towardsOne: Bool) -> ItemOutcomes {
        guard let item = outcomes.itemIDs.max(by: { outcomes[$0]!.trials < outcomes[$1]!.trials }) else { return outcomes }
        var flipped = outcomes
        flipped.add(item: item, successes: towardsOne ? 1 : -1, trials: 0)
        return flipped
    }

    package init(value: Double, interval: Interval, standardError: Double, items: Int, trials: Double, successes: Double, method: String) {
        self.value = value
        self.interval = interval
        self.standardError = standardError
        self.items = items
        self.trials = trials
        self.successes = successes
        self.method = method
    }

    /// Cluster-robust variance of the ratio estimator Σy/Σw.
    static func clusteredVariance(_ outcomes: ItemOutcomes, rate: Double) -> Double {
        let n = Double(outcomes.itemCount)
        let total = outcomes.totalTrials
        var sum = 0.0
        for id in outcomes.itemIDs {
            let c = outcomes[id]!
            let residual = c.successes - rate * c.trials
            sum += residual * residual
        }
        return n / (n - 1) * sum / (total * total)
    }
}
