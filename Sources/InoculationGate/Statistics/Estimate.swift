/// A rate or a mean with its uncertainty.
///
/// For rates (this initialiser):
/// With one sample per item this is the plain Wilson interval. With several
/// samples per item, samples of one item are not independent, so the standard
/// error is the item-clustered (linearised ratio) one,
/// `SE² = n/(n−1) · Σᵢ (yᵢ − r·wᵢ)² / W²`, and the Wilson interval is built on
/// the effective sample size `r(1−r)/SE²` (never more than the sample count).
/// When the rate is 0 or 1 the clustered variance says nothing about the
/// correlation, so the effective size is the number of items: conservative.
public struct Estimate: Sendable, Hashable, Codable {
    public var value: Double
    public var interval: Interval
    public var standardError: Double
    public var items: Int
    public var trials: Double
    public var successes: Double
    /// `wilson` or `wilson, item-clustered`.
    public var method: String

    /// The estimate for `outcomes`, or nil when there is no trial at all.
    public init?(_ outcomes: ItemOutcomes, confidence: Double = 0.95) {
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
        if outcomes.counts.values.allSatisfy({ $0.trials <= 1 }) || n < 2 {
            effectiveTrials = trials
            standardError = binomialVariance.squareRoot()
            method = n < 2 && trials > 1 ? "wilson (single item: not clustered)" : "wilson"
        } else {
            let variance = Self.clusteredVariance(outcomes, rate: rate)
            standardError = variance.squareRoot()
            if rate == 0 || rate == 1 {
                effectiveTrials = Double(n)
            } else {
                effectiveTrials = variance > 0 ? min(trials, rate * (1 - rate) / variance) : trials
            }
            method = "wilson, item-clustered"
        }
        interval = WilsonInterval.interval(successes: rate * effectiveTrials, trials: effectiveTrials, confidence: confidence)
            ?? Interval(lower: 0, upper: 1, confidence: confidence)
    }

    public init(value: Double, interval: Interval, standardError: Double, items: Int, trials: Double, successes: Double, method: String) {
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
