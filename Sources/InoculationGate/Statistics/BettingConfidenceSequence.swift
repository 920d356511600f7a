import Foundation

/// An anytime-valid confidence sequence for the mean, over a fixed set of items, of
/// observations in [0, 1] that arrive in rounds — one value per item per round.
///
/// **Construction**: confidence sequences by betting (Waudby-Smith & Ramdas 2023,
/// "Estimating means of bounded random variables by betting", JRSS-B 86(1)), with the
/// item as the unit. For each candidate mean `m` on a grid two gamblers bet: one that
/// the mean is above `m` (wealth `Π (1 + λ⁺(x − m))`), one that it is below
/// (`Π (1 − λ⁻(x − m))`). The bet is the same for every item of a round and fixed
/// before the round (aGRAPA: `λ = (μ̂ − m) / mean((x − m)²)` from earlier rounds, with
/// a prior pseudo-observation, truncated to `c / m` or `c / (1 − m)`, c = ½; nothing is
/// bet in the first round, whose values only inform the later bets).
///
/// **Why per item, one bet per round**: the items' observations of a round are
/// independent given the past, with means `pᵢ`. With one bet λ for the round,
/// `E Πᵢ (1 + λ(xᵢ − m)) = Πᵢ (1 + λ(pᵢ − m)) ≤ exp(λ Σᵢ (pᵢ − m)) ≤ 1` whenever
/// `mean pᵢ ≤ m` (λ ≥ 0), so each wealth is a test supermartingale for the mean over
/// the items, and it compounds once per item rather than once per round. By Ville's
/// inequality a gambler's wealth ever reaching `2/α` has chance ≤ α/2 when its
/// hypothesis is true, so "the mean is > m" (or "< m") is then established at that
/// level, however often one looks. Rejections are sticky (a running intersection).
/// Decisions are read at a threshold's own pair of gamblers (so each is one test);
/// the interval shown is the hull of the candidates neither has rejected.
///
/// **Missing values** (an answer the scorer could not count, a failed request) are
/// imputed at the worst case for each side: the lower bound comes from a stream with
/// every missing value at 0, the upper from one with every missing value at 1, so the
/// bounds stay valid whatever the missing values were.
///
/// The estimand is the mean over *these* items of each item's expected value; more
/// rounds never remove between-item variation (that needs more items).
package struct BettingConfidenceSequence: Sendable, Hashable {
    /// Chance, over the whole sequence, that the interval ever excludes the mean.
    package let alpha: Double
    /// Candidate means, sorted, in [0, 1].
    package private(set) var grid: [Double]
    private var logUp: [Double]
    private var logDown: [Double]
    private var upRejected: [Bool]
    private var downRejected: [Bool]
    /// Running sums of each stream's past values, for the predictable bets.
    private var lowSum = 0.0, lowSquares = 0.0
    private var highSum = 0.0, highSquares = 0.0
    private var midSum = 0.0
    /// Values observed (items × rounds).
    package private(set) var count = 0
    package private(set) var rounds = 0
    /// Values that were imputed.
    package private(set) var imputed = 0

    private static let truncation = 0.5

    /// - Parameters:
    ///   - alpha: the chance that the interval ever misses the mean (two-sided).
    ///   - resolution: grid steps on [0, 1].
    ///   - points: extra candidate means that decisions are read at (thresholds), kept exactly.
    package init(alpha: Double, resolution: Int = 1000, including points: [Double] = []) {
        precondition(alpha > 0 && alpha < 1 && resolution >= 2)
        self.alpha = alpha
        var grid = (0...resolution).map { Double($0) / Double(resolution) }
        grid += points.map { min(1, max(0, $0)) }
        grid = Array(Set(grid)).sorted()
        self.grid = grid
        logUp = [Double](repeating: 0, count: grid.count)
        logDown = logUp
        upRejected = [Bool](repeating: false, count: grid.count)
        downRejected = upRejected
    }

    /// Adds one round: each item's value imputed low and high (the same array when
    /// nothing is missing). Values outside [0, 1] are a programming error.
    package mutating func observe(low: [Double], high: [Double]) {
        precondition(low.count == high.count && !low.isEmpty)
        let barrier = log(2 / alpha)
        let lowValues = Self.histogram(low), highValues = Self.histogram(high)
        let t = Double(count)
        let lowMean = (0.5 + lowSum) / (t + 1), highMean = (0.5 + highSum) / (t + 1)
        let c = Self.truncation
        // The first round only teaches the bets: a bet from the prior alone, made on every
        // item at once, could lose most of the wealth before anything is known.
        // A candidate either gambler has rejected is out of the sequence for good: its other
        // wealth no longer matters (the bounds read each side's own rejections).
        for j in grid.indices where count > 0 && !upRejected[j] && !downRejected[j] {
            let m = grid[j]
            do {
                // Second moment about m from the past, with a prior pseudo-observation of variance 1/4.
                let moment = (0.25 + lowSquares - 2 * m * lowSum + t * m * m) / (t + 1)
                let lambda = min(max(0, (lowMean - m) / max(moment, 1e-12)), c / max(m, 1e-3))
                if lambda > 0 {
                    for (value, n) in lowValues { logUp[j] += n * log1p(lambda * (value - m)) }
                    if logUp[j] >= barrier { upRejected[j] = true }
                }
            }
            if !upRejected[j] {
                let moment = (0.25 + highSquares - 2 * m * highSum + t * m * m) / (t + 1)
                let lambda = min(max(0, (m - highMean) / max(moment, 1e-12)), c / max(1 - m, 1e-3))
                if lambda > 0 {
                    for (value, n) in highValues { logDown[j] += n * log1p(-lambda * (value - m)) }
                    if logDown[j] >= barrier { downRejected[j] = true }
                }
            }
        }
        for (a, b) in zip(low, high) {
            precondition(a >= -1e-12 && b <= 1 + 1e-12 && a <= b + 1e-12, "betting values must lie in [0, 1]")
            lowSum += a
            lowSquares += a * a
            highSum += b
            highSquares += b * b
            midSum += (a + b) / 2
            if b - a > 1e-12 { imputed += 1 }
        }
        count += low.count
        rounds += 1
    }

    /// Distinct values with their counts: a round of binary outcomes costs two logarithms per candidate.
    private static func histogram(_ values: [Double]) -> [(Double, Double)] {
        var counts: [Double: Double] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }
    }

    /// The smallest candidate still in the sequence (the interval's lower end).
    package var lower: Double {
        guard let j = grid.indices.first(where: { !upRejected[$0] && !downRejected[$0] }) else { return estimate ?? 0 }
        return grid[j]
    }

    /// The largest candidate still in the sequence (the interval's upper end).
    package var upper: Double {
        guard let j = grid.indices.last(where: { !upRejected[$0] && !downRejected[$0] }) else { return estimate ?? 1 }
        return grid[j]
    }

    /// The running mean (missing values at the midpoint of their two imputations).
    package var estimate: Double? { count > 0 ? midSum / Double(count) : nil }

    /// Whether "the mean is above `point`" is established: the gambler betting on it at
    /// `point` itself reached 2/α (one test, not a union over candidates, so its error
    /// is at most α/2). `point` must be one given at init.
    package func isAbove(_ point: Double) -> Bool { upRejected[index(of: point)] }
    /// Whether "the mean is below `point`" is established (see ``isAbove(_:)``).
    package func isBelow(_ point: Double) -> Bool { downRejected[index(of: point)] }

    private func index(of point: Double) -> Int {
        var low = 0, high = grid.count - 1
        while low < high {
            let mid = (low + high) / 2
            if grid[mid] < point { low = mid + 1 } else { high = mid }
        }
        // The nearest candidate: thresholds are kept exactly, so this is the point itself.
        if low > 0, abs(grid[low - 1] - point) < abs(grid[low] - point) { low -= 1 }
        precondition(abs(grid[low] - point) < 1e-9, "decisions are read at points given at init")
        return low
    }

    /// A rough count of further rounds after which the interval would likely clear
    /// `threshold`, if the estimate stayed where it is: the half-width of a betting
    /// sequence shrinks about as `√(2 σ² log(2/α) / N)` in N values (nil when the
    /// estimate sits on the threshold, where no number of rounds decides it).
    package func roundsToDecide(_ threshold: Double, itemsPerRound: Int) -> Int? {
        guard let estimate, count > 0, itemsPerRound > 0 else { return nil }
        let gap = abs(estimate - threshold)
        guard gap > 1e-9 else { return nil }
        let mean = midSum / Double(count)
        let variance = max(1e-4, (lowSquares + highSquares) / (2 * Double(count)) - mean * mean)
        let needed = 2 * variance * log(2 / alpha) / (gap * gap)
        return max(1, Int((needed / Double(itemsPerRound) - Double(rounds)).rounded(.up)))
    }
}
