/// Wilson score interval for a binomial proportion (Wilson 1927), the interval
/// Miller (2024) recommends for eval pass rates: good coverage at small `n` and
/// at rates near 0 or 1, where the Wald interval collapses.
///
/// `p̂ = k/n`, `z = z₁₋α/₂`:
/// `(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`.
package enum WilsonInterval {
    /// The interval for `successes` out of `trials`; `trials` may be an
    /// effective (non-integer) sample size. Returns nil when `trials ≤ 0`.
    package static func interval(successes: Double, trials: Double, confidence: Double = 0.95) -> Interval? {
        guard trials > 0, trials.isFinite, successes >= 0, successes <= trials else { return nil }
        let z = Normal.criticalValue(alpha: 1 - confidence)
        let p = successes / trials
        let z2 = z * z
        let denominator = 1 + z2 / trials
        let centre = (p + z2 / (2 * trials)) / denominator
        let half = z * (p * (1 - p) / trials + z2 / (4 * trials * trials)).squareRoot() / denominator
        // At 0 and at n the bounds are exactly 0 and 1; rounding must not move them.
        let lower = successes == 0 ? 0 : max(0, centre - half)
        let upper = successes == trials ? 1 : min(1, centre + half)
        return Interval(lower: lower, upper: upper, confidence: confidence)
    }
}
