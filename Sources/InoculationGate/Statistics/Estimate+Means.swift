extension Estimate {
    /// The mean of per-item means, for scores such as a judge's 0–100 alignment:
    /// each item's samples are averaged first (so items weigh equally and samples
    /// of one item are not treated as independent), then
    /// `SE = sd(item means)/√n` and the CLT interval `mean ± z·SE`.
    /// Nil when no item has a sample or an input is not finite. With one item the
    /// interval is unbounded: one item says nothing about item-to-item spread.
    package static func meanOfItemMeans(_ outcomes: ItemOutcomes, confidence: Double = 0.95) -> Estimate? {
        guard outcomes.isFinite else { return nil }
        let means = outcomes.itemMeans
        guard !means.isEmpty else { return nil }
        let n = Double(means.count)
        let mean = means.reduce(0, +) / n
        let standardError: Double
        let interval: Interval
        if means.count < 2 {
            standardError = .infinity
            interval = Interval(lower: -.infinity, upper: .infinity, confidence: confidence)
        } else {
            let variance = means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            standardError = (variance / n).squareRoot()
            let z = Normal.criticalValue(alpha: 1 - confidence)
            interval = Interval(lower: mean - z * standardError, upper: mean + z * standardError, confidence: confidence)
        }
        return Estimate(
            value: mean, interval: interval, standardError: standardError, items: means.count,
            trials: outcomes.totalTrials, successes: outcomes.totalSuccesses,
            method: means.count < 2 ? "mean of item means (one item: no interval)" : "mean of item means, CLT")
    }
}

extension ItemOutcomes {
    /// Per-item means `successes/trials` of items with at least one trial, in item order.
    package var itemMeans: [Double] {
        itemIDs.compactMap { id in
            let c = counts[id]!
            return c.trials > 0 ? c.successes / c.trials : nil
        }
    }

    /// False when any count is NaN or infinite, or trials are negative.
    package var isFinite: Bool {
        counts.values.allSatisfy { $0.successes.isFinite && $0.trials.isFinite && $0.trials >= 0 }
    }
}
