/// The claims that answer "how much of it is real" (shares) and "does the trait come
/// back under prompt-shaped text" (leaks).
extension ClaimEvaluator {
    /// A share claim: holds when the whole interval is on the good side of `bound`
    /// (at least it for `atLeast`, else at most it); undefined shares are inconclusive.
    func share(
        _ claim: ClaimSpec, form: ShareEstimate.Form, sides: [(String, String)], measure: String, bound: Double, atLeast: Bool, what: String,
        whenUndefined: String
    ) -> ClaimResult {
        let found = sides.compactMap { measureResult($0.0, $0.1, measure) }
        guard found.count == sides.count else {
            return ClaimResult(
                claim: claim, verdict: .inconclusive, estimate: nil, interval: nil, threshold: bound, method: "—",
                reason: "the measures it compares were not taken", itemsNeeded: nil, items: 0)
        }
        let seed = StableHash.uint64(["share", String(suite.seed), claim.title])
        guard let share = Self.shareEstimate(form, found, resamples: suite.statistics.bootstrapResamples, seed: seed, confidence: suite.statistics.confidence) else {
            return ClaimResult(
                claim: claim, verdict: .inconclusive, estimate: nil, interval: nil, threshold: bound, method: "—",
                reason: "the sides share no items with countable samples", itemsNeeded: nil, items: 0)
        }
        guard let interval = share.interval, let estimate = share.estimate else {
            return ClaimResult(
                claim: claim, verdict: .inconclusive, estimate: share.estimate, interval: nil, threshold: bound, method: share.method,
                reason: "\(what) is undefined: \(whenUndefined); denominator \(Format.number(share.denominator)) \(Format.interval(share.denominatorInterval))",
                itemsNeeded: nil, items: share.items)
        }
        let verdict = Self.verdict(interval, threshold: bound, goodBelow: !atLeast)
        return ClaimResult(
            claim: claim, verdict: verdict, estimate: estimate, interval: interval, threshold: bound, method: share.method,
            reason: Self.reason(verdict, estimate: estimate, interval: interval, threshold: bound, goodBelow: !atLeast, what: what),
            itemsNeeded: verdict == .inconclusive ? Self.itemsNeeded(estimate, interval, threshold: bound, items: share.items) : nil,
            items: share.items)
    }

    /// The share of `sides`: paired over items, or from cell counts when any side is a
    /// published summary (nothing to pair on).
    static func shareEstimate(_ form: ShareEstimate.Form, _ sides: [MeasureResult], resamples: Int, seed: UInt64, confidence: Double) -> ShareEstimate? {
        guard sides.contains(where: \.isSummary) else {
            return ShareEstimate(form, sides: sides.map(\.outcomes), resamples: resamples, seed: seed, confidence: confidence)
        }
        let counts = sides.compactMap { side in side.estimate.map { (successes: $0.value * $0.trials, trials: $0.trials) } }
        guard counts.count == sides.count else { return nil }
        return ShareEstimate(form, counts: counts, resamples: resamples, seed: seed, confidence: confidence)
    }

    /// No leak: under every member of the family the subject is no worse than under the
    /// baseline condition by more than the tolerance. Each member's paired interval is
    /// taken at confidence 1 − α/k (Bonferroni over the k members), so the family as a
    /// whole keeps the suite's error rate; fails when any member is surely worse, holds
    /// when every member is surely within. The estimate is the worst member's.
    func noLeak(
        _ claim: ClaimSpec, subject: String, measure: String, baseline: String, family: [String], tolerance: Double, better: MeasureSpec.Direction
    ) -> ClaimResult {
        let (threshold, goodBelow) = Self.oriented(tolerance, goodBelow: true, better: better)
        let alpha = 1 - suite.statistics.confidence
        let perMember = 1 - alpha / Double(max(1, family.count))
        guard let reference = measureResult(subject, baseline, measure) else {
            return ClaimResult(
                claim: claim, verdict: .inconclusive, estimate: nil, interval: nil, threshold: threshold, method: "—",
                reason: "the measures it compares were not taken", itemsNeeded: nil, items: 0)
        }
        var members: [(name: String, difference: PairedDifference)] = []
        func compare(_ result: MeasureResult) -> PairedDifference? {
            Self.difference(result, reference, confidence: perMember)
        }
        for member in family {
            guard let result = measureResult(subject, member, measure), let difference = compare(result) else {
                return ClaimResult(
                    claim: claim, verdict: .inconclusive, estimate: nil, interval: nil, threshold: threshold, method: "—",
                    reason: "\(measure) of \(subject)@\(member) has no countable samples", itemsNeeded: nil, items: 0)
            }
            members.append((member, difference))
        }
        let verdicts = members.map { Self.verdict($0.difference.interval, threshold: threshold, goodBelow: goodBelow) }
        let verdict: Verdict = verdicts.contains(.fails) ? .fails : (verdicts.allSatisfy { $0 == .holds } ? .holds : .inconclusive)
        // The worst member: the one whose interval reaches furthest to the bad side.
        let worst = members.max { a, b in
            goodBelow ? a.difference.interval.upper < b.difference.interval.upper : a.difference.interval.lower > b.difference.interval.lower
        }!
        let what = "\(measure) \(subject)@\(worst.name) − \(subject)@\(baseline) (worst of \(family.count), each at \(Format.number(perMember * 100, decimals: 2))%)"
        return ClaimResult(
            claim: claim, verdict: verdict, estimate: worst.difference.estimate, interval: worst.difference.interval, threshold: threshold,
            method: worst.difference.method + ", Bonferroni over \(family.count) conditions",
            reason: Self.reason(verdict, estimate: worst.difference.estimate, interval: worst.difference.interval, threshold: threshold, goodBelow: goodBelow, what: what),
            itemsNeeded: nil, items: worst.difference.items)
    }
}
