import Foundation

/// What a baseline comparison can see: the noise of comparing two runs of one
/// model on the same items, and the smallest worsening that the gate's actual
/// rule flags with the stated power.
///
/// **Noise.** Two runs on the same items differ only by sampling: item
/// difficulty cancels in the paired difference. For a rate `Σt/N` with `Kᵢ`
/// trials on item `i` (`N = ΣKᵢ`) and per-item rates `pᵢ`,
/// `Var(r_now − r_base) = 2·ΣKᵢ·pᵢ(1−pᵢ) / N²`. With `Kᵢ ≥ 2` the baseline's own
/// outcomes estimate each term without bias, `Kᵢ·pᵢ(1−pᵢ) ≈ sᵢ(Kᵢ−sᵢ)/(Kᵢ−1)`
/// (Miller 2024, "Adding Error Bars to Evals", §4 on paired differences and
/// within-cluster variance). With one trial per item the terms cannot be
/// separated; since `p(1−p)` is concave, `ΣKᵢpᵢ(1−pᵢ) ≤ N·p̄(1−p̄)` — the
/// conservative bound used then, with the Agresti–Coull centre
/// `p̃ = (S + z²/2)/(N + z²)` so that a rate of 0 or 1 never claims zero noise.
/// The same bound stands in when the baseline shows no within-item variation
/// at all (a deterministic model). A regression moves the rate, and with it
/// `p(1−p)`: the figure is taken at the effect itself, from the noisier of the
/// baseline and the worsened per-item rates. Scores (`mean_alignment`) keep no per-item
/// spread, so they use the unpaired form `√2·SE_baseline` (conservative).
///
/// **Rule.** A comparison is *regressed* when its adjusted p-value is below α
/// and the estimate is worse than the tolerance. After Holm (or BH) across `m`
/// comparisons the first comparison to pass needs `p < α/m`; the paired test
/// refers its statistic to Student's t with `n − 1` degrees of freedom (n items),
/// so the critical value is `c = t₁₋α/(2m), n−1`, and a true worsening `δ` is
/// flagged with probability about `Φ((δ − max(tol, c·SE))/(s·SE))`, where
/// `s = √(1 + c²/(2(n−1)))` accounts for the test estimating its own standard
/// error (Jennett & Welch's approximation to the noncentral t). The minimum
/// detectable effect at power `1−β` is therefore `max(tol, c·SE) + z₁₋β·s·SE`.
/// The comparison is *underpowered* when noise, not the tolerance, sets that
/// threshold (`c·SE > tol`); `items needed ≈ n·(c·SE/tol)²`.
package struct ComparisonPower: Sendable, Hashable {
    package enum Method: String, Sendable, Hashable, Codable {
        /// Within-item variance estimated from the baseline's samples (K ≥ 2 per item).
        case withinItem = "paired, within-item variance from the baseline's samples"
        /// One sample per item (or no within-item variation seen): the binomial bound.
        case bound = "paired, conservative bound (one sample per item or no within-item variation)"
        /// Scores: the baseline's between-item standard error, twice over.
        case unpaired = "unpaired (scores keep no per-item spread), conservative"
    }

    /// Standard error of current − baseline at the minimum detectable effect.
    package var standardError: Double
    /// `t₁₋α/(2m), n−1` (the normal quantile for the exact McNemar test at one sample per item).
    package var criticalValue: Double
    package var minimumDetectableEffect: Double
    package var underpowered: Bool
    /// When underpowered: items that would let the tolerance, not noise, decide.
    package var itemsNeeded: Int?
    package var method: Method

    /// The power of comparing a run with `baseline` (per-item outcomes of the accepted run).
    /// - Parameters:
    ///   - better: which way is better, so that a worsening moves the rate the right way.
    ///   - comparisons: how many comparisons the run adjusts over (`m`).
    package init?(
        baseline: ItemOutcomes, metric: MeasureSpec.Metric, better: MeasureSpec.Direction, tolerance: Double, alpha: Double,
        comparisons: Int, power: Double, confidence: Double = 0.95
    ) {
        let items = baseline.counts.values.filter { $0.trials > 0 }
        guard !items.isEmpty, baseline.isFinite else { return nil }
        // Σ Kᵢ·pᵢ(1−pᵢ) after the rate moves by `shift`, from the baseline's per-item rates.
        var varianceAfter: (Double) -> Double = { _ in 0 }
        var variance = 0.0, total = 1.0
        if metric.isMean {
            guard let estimate = Estimate.meanOfItemMeans(baseline, confidence: confidence), estimate.standardError.isFinite else { return nil }
            variance = estimate.standardError * estimate.standardError
            varianceAfter = { _ in variance }
            method = .unpaired
        } else {
            let trials = items.reduce(0) { $0 + $1.trials }
            let successes = items.reduce(0) { $0 + $1.successes }
            let z = Normal.criticalValue(alpha: 1 - confidence)
            let centre = (successes + z * z / 2) / (trials + z * z)
            let bound = centre * (1 - centre)
            var within = 0.0
            var separable = false
            for counts in items {
                if counts.trials >= 2 {
                    separable = true
                    within += counts.successes * (counts.trials - counts.successes) / (counts.trials - 1)
                } else {
                    within += counts.trials * bound
                }
            }
            let perItem: [(trials: Double, rate: Double)]
            if !separable || within <= 0 {
                within = trials * bound
                perItem = [(trials, centre)]
                method = .bound
            } else {
                perItem = items.map { ($0.trials, $0.successes / $0.trials) }
                method = .withinItem
            }
            // A worsening moves every item's rate by `shift` the wrong way; p(1−p) moves with it.
            let sign = better == .higher ? -1.0 : 1.0
            varianceAfter = { shift in
                within + perItem.reduce(0) { sum, item in
                    let moved = min(max(item.rate + sign * shift, 0), 1)
                    return sum + item.trials * (moved * (1 - moved) - item.rate * (1 - item.rate))
                }
            }
            variance = within
            total = trials
        }
        let m = Double(max(comparisons, 1))
        let oneSamplePerItem = items.allSatisfy { $0.trials <= 1 }
        let df = Double(max(items.count - 1, 1))
        let tail = 1 - alpha / (2 * m)
        criticalValue = oneSamplePerItem ? Normal.quantile(tail) : StudentT.quantile(tail, df: df)
        // The test's own standard error is estimated from n items: its noise widens the
        // statistic's spread to about √(1 + c²/(2·df)) (Jennett & Welch's normal
        // approximation to the noncentral t), which the power quantile must cover.
        let spread = oneSamplePerItem ? 1 : (1 + criticalValue * criticalValue / (2 * df)).squareRoot()
        let quantile = Normal.quantile(power) * spread
        // Two runs, the noisier of before and after the worsening (conservative), at the
        // effect itself: δ = max(tol, c·SE(δ)) + q·SE(δ), solved by fixed-point iteration.
        let standardError: (Double) -> Double = { shift in
            (2 * max(variance, varianceAfter(shift))).squareRoot() / (metric.isMean ? 1 : total)
        }
        var effect = max(tolerance, criticalValue * standardError(0)) + quantile * standardError(0)
        for _ in 0..<50 {
            let se = standardError(effect)
            let next = max(tolerance, criticalValue * se) + quantile * se
            if abs(next - effect) < 1e-12 { break }
            effect = next
        }
        self.standardError = standardError(effect)
        minimumDetectableEffect = effect
        underpowered = criticalValue * self.standardError > tolerance
        itemsNeeded = underpowered && tolerance > 0
            ? Power.itemsNeeded(currentItems: items.count, currentEffect: criticalValue * self.standardError, targetEffect: tolerance) : nil
    }
}
