import Foundation

/// Student's t distribution, for paired t-tests on per-item means.
package enum StudentT {
    /// P(T ≤ t) with `df` degrees of freedom (df > 0, may be fractional), via
    /// the regularised incomplete beta function: for t < 0,
    /// `P = ½·I(df/(df+t²); df/2, ½)`.
    package static func cdf(_ t: Double, df: Double) -> Double {
        guard df > 0, !t.isNaN, !df.isNaN else { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let tail = 0.5 * IncompleteBeta.regularized(x: df / (df + t * t), a: df / 2, b: 0.5)
        return t < 0 ? tail : 1 - tail
    }

    /// Two-sided p-value `2·P(T ≥ |t|)`.
    package static func twoSidedPValue(_ t: Double, df: Double) -> Double {
        guard !t.isNaN else { return .nan }
        if t.isInfinite { return 0 }
        return min(1, IncompleteBeta.regularized(x: df / (df + t * t), a: df / 2, b: 0.5))
    }

    /// The quantile t with `cdf(t) = p`, by bracketing and bisection to full precision.
    package static func quantile(_ p: Double, df: Double) -> Double {
        guard p > 0, p < 1, df > 0 else { return p == 0 ? -.infinity : (p == 1 ? .infinity : .nan) }
        if p == 0.5 { return 0 }
        var low = -1.0, high = 1.0
        while cdf(low, df: df) > p { low *= 2 }
        while cdf(high, df: df) < p { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if mid == low || mid == high { break }
            if cdf(mid, df: df) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}

/// The regularised incomplete beta function I_x(a, b), by the continued fraction
/// (modified Lentz), using the symmetry relation for fast convergence.
enum IncompleteBeta {
    static func regularized(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...1000 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            result *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return result
    }
}
