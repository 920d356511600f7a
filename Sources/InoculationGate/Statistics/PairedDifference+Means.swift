extension PairedDifference {
    /// The paired t-test on per-item means (as `scipy.stats.ttest_rel` on the item
    /// means): `dᵢ = mean_Aᵢ − mean_Bᵢ` over items with samples on both sides,
    /// `SE = sd(d)/√n`, `t = d̄/SE` with `n − 1` degrees of freedom, and the
    /// interval `d̄ ± t₁₋α/₂·SE`. Nil when fewer than one item pairs or an input is not finite.
    package static func pairedMeans(_ a: ItemOutcomes, _ b: ItemOutcomes, confidence: Double = 0.95) -> PairedDifference? {
        guard a.isFinite, b.isFinite else { return nil }
        let differences = Set(a.itemIDs).intersection(b.itemIDs).sorted().compactMap { id -> Double? in
            let ca = a[id]!, cb = b[id]!
            guard ca.trials > 0, cb.trials > 0 else { return nil }
            return ca.successes / ca.trials - cb.successes / cb.trials
        }
        guard !differences.isEmpty else { return nil }
        let n = Double(differences.count)
        let mean = differences.reduce(0, +) / n
        guard differences.count >= 2 else {
            return PairedDifference(
                estimate: mean, standardError: .infinity,
                interval: Interval(lower: -.infinity, upper: .infinity, confidence: confidence), pValue: 1,
                items: 1, isPaired: true, method: "paired t on item means (one item: no variance estimate)")
        }
        let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let se = (variance / n).squareRoot()
        let p: Double = se > 0 ? StudentT.twoSidedPValue(mean / se, df: n - 1) : (mean == 0 ? 1 : 0)
        let critical = StudentT.quantile(1 - (1 - confidence) / 2, df: n - 1)
        return PairedDifference(
            estimate: mean, standardError: se,
            interval: Interval(lower: mean - critical * se, upper: mean + critical * se, confidence: confidence),
            pValue: p, items: differences.count, isPaired: true, method: "paired t on item means")
    }
}
