import Foundation

/// One thing an adaptive run decides — a claim or a baseline comparison — with the
/// contrasts it is decided on, its share of the run's error rate, and when it was decided.
struct AdaptiveTarget: Sendable {
    enum Subject: Sendable, Hashable {
        case claim(Int)
        case comparison(MeasureKey)
    }

    /// How the contrasts decide.
    enum Rule: Sendable {
        /// Holds when every contrast is established on its good side of its threshold,
        /// fails when any is established on its bad side (differences, ceilings, leak
        /// families, transfer as `to − r·from ≥ 0`).
        case all([(threshold: Double, goodBelow: Bool)])
        /// A share `N / D` against `bound`, decided on `C = N − bound·D` (contrast 0) once
        /// the sign of `D` (contrast 1) is established; contrast 2 (N) and D give the
        /// reported interval. Undefined while D's interval holds 0.
        case share(bound: Double, atLeast: Bool)
        /// A comparison with the baseline: contrast 0 is `current − baseline value` per item;
        /// `margin` is the baseline's own uncertainty (half-width at its share of α);
        /// `worseAbove` says which sign is a regression.
        case comparison(tolerance: Double, margin: Double, worseAbove: Bool)
    }

    /// What was decided.
    enum Outcome: Sendable, Hashable {
        case verdict(Verdict)
        case status(BaselineComparison.Status)
    }

    var subject: Subject
    var title: String
    var contrasts: [AdaptiveContrast]
    var rule: Rule
    var alpha: Double
    /// Units the contrasts are reported in (100 for scores).
    var unit: Double
    /// Contrasts whose ratio is what the claim reports (transfer: `to` and `from`).
    var reportsRatio: (numerator: Int, denominator: Int)?
    /// The round it was decided at, and what was decided; nil while open.
    var decided: (round: Int, outcome: Outcome)?
    /// The round after which it was given up as not decidable within its budget (futility).
    var gaveUp: Int?
    /// Samples its slots had drawn when it was decided (or at the end).
    var samples = 0
    /// Samples the fixed design gives its slots.
    var fixedSamples = 0

    /// Every slot its contrasts read (set once they are made).
    var slots: Set<Slot> = []

    /// Adds a round and decides if the evidence now suffices.
    mutating func observe(_ values: (AdaptiveContrast) -> RoundValues, round: Int) {
        guard decided == nil, gaveUp == nil else { return }
        for index in contrasts.indices { contrasts[index].observe(values(contrasts[index])) }
        if let outcome = decision(final: false) { decided = (round, outcome) }
    }

    /// Rounds before the projection is trusted enough to give up on a target.
    static let roundsBeforeFutility = 5
    /// Given up when the projected rounds exceed this many times the rounds left.
    static let futilityFactor = 5

    /// Gives up on an open target that would need far more rounds than its budget leaves
    /// (a gap near its threshold): it is reported inconclusive at once, with the samples
    /// that would decide it, instead of spending the whole budget. Stopping without a
    /// decision never adds an error.
    mutating func giveUpIfFutile(round: Int, roundsLeft: Int) {
        // With no round left the budget has ended it, which is not futility.
        guard decided == nil, gaveUp == nil, round >= Self.roundsBeforeFutility, roundsLeft > 0 else { return }
        guard let needed = roundsToDecide() else { gaveUp = round; return }
        if needed > Self.futilityFactor * roundsLeft { gaveUp = round }
    }

    /// The decision the sequences support; with `final`, what an undecided target ends as.
    func decision(final: Bool) -> Outcome? {
        switch rule {
        case .all(let sides):
            var allGood = true
            for (contrast, side) in zip(contrasts, sides) {
                let good = side.goodBelow ? contrast.isBelow(side.threshold) : contrast.isAbove(side.threshold)
                let bad = side.goodBelow ? contrast.isAbove(side.threshold) : contrast.isBelow(side.threshold)
                if bad { return .verdict(.fails) }
                if !good { allGood = false }
            }
            return allGood ? .verdict(.holds) : (final ? .verdict(.inconclusive) : nil)
        case .share(_, let atLeast):
            let c = contrasts[0], d = contrasts[1]
            let positive = d.isAbove(0), negative = d.isBelow(0)
            guard positive || negative else { return final ? .verdict(.inconclusive) : nil }
            // S − bound = C / D: its sign is C's when D > 0, the opposite when D < 0.
            let above = positive ? c.isAbove(0) : c.isBelow(0)
            let below = positive ? c.isBelow(0) : c.isAbove(0)
            if above { return .verdict(atLeast ? .holds : .fails) }
            if below { return .verdict(atLeast ? .fails : .holds) }
            return final ? .verdict(.inconclusive) : nil
        case let .comparison(tolerance, margin, worseAbove):
            let c = contrasts[0]
            guard let estimate = c.estimate else { return nil }
            let worse = worseAbove ? estimate : -estimate
            // Significant: the current mean's interval clears the baseline's by more than its own uncertainty.
            let worseSignificant = worseAbove ? c.isAbove(margin) : c.isBelow(-margin)
            let betterSignificant = worseAbove ? c.isBelow(-margin) : c.isAbove(margin)
            if worseSignificant && worse > tolerance { return .status(.regressed) }
            if betterSignificant && -worse > tolerance { return .status(.improved) }
            // Within tolerance either way, whatever the truth: nothing left to find.
            if c.isAbove(-tolerance + margin) && c.isBelow(tolerance - margin) { return .status(.unchanged) }
            guard final else { return nil }
            // Out of budget: a significant change inside the tolerance is no regression; otherwise
            // the interval still reaches past the tolerance, which is what "underpowered" means.
            return worseSignificant || betterSignificant ? .status(.unchanged) : .status(.underpowered)
        }
    }

    /// The reported estimate and interval in the claim's or comparison's units.
    var reported: (estimate: Double?, interval: Interval?) {
        let confidence = 1 - alpha
        if let (n, d) = reportsRatio { return ratio(contrasts[n], contrasts[d]) }
        switch rule {
        case .all(let sides):
            // The contrast that is worst for the claim: the one reaching furthest to its bad side.
            let worst = zip(contrasts, sides).max { a, b in
                let da = a.1.goodBelow ? a.0.upper - a.1.threshold : a.1.threshold - a.0.lower
                let db = b.1.goodBelow ? b.0.upper - b.1.threshold : b.1.threshold - b.0.lower
                return da < db
            }!.0
            return (worst.estimate.map { $0 * unit }, Interval(lower: worst.lower * unit, upper: worst.upper * unit, confidence: confidence))
        case .share:
            return ratio(contrasts[2], contrasts[1])
        case .comparison:
            let c = contrasts[0]
            return (c.estimate.map { $0 * unit }, Interval(lower: c.lower * unit, upper: c.upper * unit, confidence: confidence))
        }
    }

    /// `N / D` from the two sequences: the box of their intervals (D's must exclude 0).
    func ratio(_ n: AdaptiveContrast, _ d: AdaptiveContrast) -> (Double?, Interval?) {
        guard let top = n.estimate, let bottom = d.estimate else { return (nil, nil) }
        let estimate = abs(bottom) > 1e-12 ? top / bottom : nil
        guard d.lower > 0 || d.upper < 0 else { return (estimate, nil) }
        let corners = [n.lower / d.lower, n.lower / d.upper, n.upper / d.lower, n.upper / d.upper]
        return (estimate, Interval(lower: corners.min()!, upper: corners.max()!, confidence: 1 - alpha))
    }

    /// Samples per item that would likely decide an open target (nil when none would).
    func roundsToDecide() -> Int? {
        switch rule {
        case .all(let sides):
            // The slowest contrast that is not yet on its good side.
            return zip(contrasts, sides).compactMap { contrast, side -> Int? in
                let good = side.goodBelow ? contrast.isBelow(side.threshold) : contrast.isAbove(side.threshold)
                return good ? 0 : contrast.roundsToDecide(side.threshold)
            }.max()
        case .share:
            guard let c = contrasts[0].roundsToDecide(0), let d = contrasts[1].roundsToDecide(0) else { return nil }
            return max(c, d)
        case let .comparison(tolerance, margin, _):
            guard let estimate = contrasts[0].estimate else { return nil }
            // Inside the tolerance, "unchanged" needs the interval within ±(tolerance − margin): none when that is empty.
            if abs(estimate) <= tolerance && tolerance - margin <= 0 { return nil }
            let edge = abs(estimate) > tolerance ? margin : tolerance - margin
            return contrasts[0].roundsToDecide(estimate >= 0 ? edge : -edge)
        }
    }
}
