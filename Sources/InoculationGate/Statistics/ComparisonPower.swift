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
/// at all (a deterministic model). Scores (`mean_alignment`) keep no per-item
/// spread, so they use the unpaired form `√2·SE_baseline` (conservative).
///
/// **Rule.** A comparison is *regressed* when its adjusted p-value is below α
/// and the estimate is worse than the tolerance. After Holm (or BH) across `m`
/// comparisons the first comparison to pass needs `p < α/m`, so the critical
/// value is `z_c = z₁₋α/(2m)`, and a true worsening `δ` is flagged with
/// probability about `Φ((δ − max(tol, z_c·SE))/SE)`. The minimum detectable
/// effect at power `1−β` is therefore `max(tol, z_c·SE) + z₁₋β·SE`. The
/// comparison is *underpowered* when noise, not the tolerance, sets that
/// threshold (`z_c·SE > tol`); `items needed ≈ n·(z_c·SE/tol)²`.
public struct ComparisonPower: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable, Codable {
        /// Within-item variance estimated from the baseline's samples (K ≥ 2 per item).
        case withinItem = "paired, within-item variance from the baseline's samples"
        /// One sample per item (or no within-item variation seen): the binomial bound.
        case bound = "paired, conservative bound (one sample per item or no within-item variation)"
        /// Scores: the baseline's between-item standard error, twice over.
        case unpaired = "unpaired (scores keep no per-item spread), conservative"
    }

    /// Standard error of current − baseline under no change.
    public var standardError: Double
    /// `z₁₋α/(2m)`.
    public var criticalValue: Double
    public var minimumDetectableEffect: Double
    public var underpowered: Bool
    /// When underpowered: items that would let the tolerance, not noise, decide.
    public var itemsNeeded: Int?
    public var method: Method

    /// The power of comparing a run with `baseline` (per-item outcomes of the accepted run).
    /// - Parameter comparisons: how many comparisons the run adjusts over (`m`).
    public init?(
        baseline: ItemOutcomes, metric: MeasureSpec.Metric, tolerance: Double, alpha: Double, comparisons: Int,
        power: Double, confidence: Double = 0.95
    ) {
        let items = baseline.counts.values.filter { $0.trials > 0 }
        guard !items.isEmpty, baseline.isFinite else { return nil }
        if metric.isMean {
            guard let estimate = Estimate.meanOfItemMeans(baseline, confidence: confidence), estimate.standardError.isFinite else { return nil }
            standardError = 2.squareRoot() * estimate.standardError
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
            if !separable || within <= 0 {
                within = trials * bound
                method = .bound
            } else {
                method = .withinItem
            }
            standardError = (2 * within).squareRoot() / trials
        }
        let m = Double(max(comparisons, 1))
        criticalValue = Normal.criticalValue(alpha: alpha / m)
        let threshold = max(tolerance, criticalValue * standardError)
        minimumDetectableEffect = threshold + Normal.quantile(power) * standardError
        underpowered = criticalValue * standardError > tolerance
        itemsNeeded = underpowered && tolerance > 0
            ? Power.itemsNeeded(currentItems: items.count, currentEffect: criticalValue * standardError, targetEffect: tolerance) : nil
    }
}
