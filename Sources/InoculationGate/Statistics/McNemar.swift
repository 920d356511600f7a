import Foundation

/// McNemar's exact test for paired binary outcomes (McNemar 1947): under the
/// null, the discordant pairs split 50/50, so the two-sided p-value is
/// `min(1, 2·P(X ≤ min(b, c)))` with `X ~ Binomial(b + c, ½)`.
package enum McNemar {
    /// Two-sided exact p-value from the discordant counts `b` (A only) and `c` (B only).
    package static func exactPValue(b: Int, c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        let k = min(b, c)
        // Sum binomial probabilities in log space: stable for large n.
        var total = 0.0
        let logHalfN = Double(n) * log(0.5)
        for i in 0...k {
            total += exp(logChoose(n, i) + logHalfN)
        }
        return min(1, 2 * total)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
