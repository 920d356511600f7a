/// Turns measures into claim verdicts and per-subject diagnoses.
///
/// Every claim compares an interval with a threshold: **holds** when the whole
/// interval is on the good side, **fails** when it is wholly on the bad side,
/// **inconclusive** otherwise — with an estimate of how many items would decide it.
package struct ClaimEvaluator: Sendable {
    package let suite: Suite
    package let measures: [MeasureKey: MeasureResult]
    private var statistics: StatisticsSettings { suite.statistics }
    private var confidence: Double { statistics.confidence }

    package init(suite: Suite, measures: [MeasureResult]) {
        self.suite = suite
        self.measures = Dictionary(uniqueKeysWithValues: measures.map { ($0.key, $0) })
    }

    package func evaluate() -> [ClaimResult] {
        suite.claims.map(evaluate)
    }

    /// Diagnoses every subject some claim is about (see ``Diagnosis`` for the rule), in the
    /// suite's subject order, from all of its claims in the suite's claim order.
    package func diagnoses(_ results: [ClaimResult]) -> [Diagnosis] {
        let about = Set(results.map(\.claim.subject))
        return suite.subjects.map(\.name).filter(about.contains).map { subject in
            let evidence = results.filter { $0.claim.subject == subject }
                .map { Diagnosis.Evidence(keyword: $0.claim.keyword, verdict: $0.verdict) }
            return Diagnosis.diagnose(subject: subject, evidence: evidence)
        }
    }

    func measureResult(_ subject: String, _ condition: String, _ measure: String) -> MeasureResult? {
        measures[MeasureKey(suite: suite.name, subject: subject, condition: condition, measure: measure)]
    }

    package func evaluate(_ claim: ClaimSpec) -> ClaimResult {
        let better = suite.measures.first { $0.name == claim.measure }?.better ?? .lower
        switch claim.kind {
        case let .transfer(subject, measure, from, to, minRatio):
            // For a lower-is-better measure the skill shows when `to` is as low: compare from/to.
            return better == .higher
                ? transfer(claim, subject: subject, measure: measure, from: from, to: to, minRatio: minRatio)
                : transfer(claim, subject: subject, measure: measure, from: to, to: from, minRatio: minRatio)
        case let .suppression(subject, measure, condition, versus, margin, ceiling):
            // Better than the control by the margin; the ceiling is a floor for higher-is-better.
            let (threshold, goodBelow) = Self.oriented(-margin, goodBelow: true, better: better)
            return difference(
                claim, a: (subject, condition), b: (versus, condition), measure: measure,
                threshold: threshold, goodBelow: goodBelow, ceiling: ceiling.map { (subject, condition, $0, better == .lower) })
        case let .specificity(measure, condition, semantic, random, margin):
            let (threshold, goodBelow) = Self.oriented(margin, goodBelow: false, better: better)
            return difference(claim, a: (random, condition), b: (semantic, condition), measure: measure, threshold: threshold, goodBelow: goodBelow)
        case let .noAmplification(subject, measure, condition, versusSubject, versusCondition, tolerance):
            let (threshold, goodBelow) = Self.oriented(tolerance, goodBelow: true, better: better)
            return difference(
                claim, a: (subject, condition), b: (versusSubject, versusCondition), measure: measure,
                threshold: threshold, goodBelow: goodBelow)
        case let .noLeak(subject, measure, baseline, family, tolerance):
            return noLeak(claim, subject: subject, measure: measure, baseline: baseline, family: family, tolerance: tolerance, better: better)
        case let .semanticShare(subject, twin, control, measure, condition, min):
            return share(
                claim, form: .semantic, sides: [(twin, condition), (subject, condition), (control, condition)], measure: measure,
                bound: min, atLeast: true, what: "semantic share (\(twin) − \(subject)) / (\(control) − \(subject)) at \(condition)",
                whenUndefined: "\(subject) is not suppressed relative to \(control) at \(condition) (the denominator's interval contains 0), so there is no suppression to share")
        case let .gatedShare(subject, measure, with, without, base, max):
            var sides = [(subject, with), (subject, without)]
            if let base { sides.append((base, without)) }
            return share(
                claim, form: .gated, sides: sides, measure: measure, bound: max, atLeast: false,
                what: "gated share (\(with) − \(without)) / (\(with) − \(base.map { "\($0)@\(without)" } ?? "0"))",
                whenUndefined: "\(subject) gains nothing under \(with) over \(base.map { "\($0)@\(without)" } ?? "zero") (the denominator's interval contains 0), so no skill is there to be gated")
        }
    }

    /// A "good below" threshold written for a lower-is-better measure, turned for the
    /// measure's direction: for higher-is-better the good side and the sign flip.
    static func oriented(_ threshold: Double, goodBelow: Bool, better: MeasureSpec.Direction) -> (Double, Bool) {
        better == .lower ? (threshold, goodBelow) : (-threshold, !goodBelow)
    }

    private func transfer(_ claim: ClaimSpec, subject: String, measure: String, from: String, to: String, minRatio: Double) -> ClaimResult {
        guard let numerator = measureResult(subject, to, measure), let denominator = measureResult(subject, from, measure) else {
            return undefined(claim, threshold: minRatio, reason: "the measures it compares were not taken")
        }
        if numerator.isSummary || denominator.isSummary {
            return unpairedTransfer(claim, numerator: numerator, denominator: denominator, minRatio: minRatio, from: from, to: to, measure: measure)
        }
        let seed = StableHash.uint64(["bootstrap", String(suite.seed), claim.title])
        guard let ratio = RatioEstimate(
            numerator: numerator.outcomes, denominator: denominator.outcomes, resamples: statistics.bootstrapResamples, seed: seed,
            confidence: confidence, method: statistics.ratioInterval)
        else {
            return undefined(claim, threshold: minRatio, reason: "\(measure) under '\(from)' is zero, so the ratio is undefined")
        }
        let verdict = Self.verdict(ratio.interval, threshold: minRatio, goodBelow: false)
        let reason = Self.reason(verdict, estimate: ratio.estimate, interval: ratio.interval, threshold: minRatio, goodBelow: false, what: "ratio \(to)/\(from)")
        return ClaimResult(
            claim: claim, verdict: verdict, estimate: ratio.estimate, interval: ratio.interval, threshold: minRatio,
            method: ratio.method, reason: reason,
            itemsNeeded: verdict == .inconclusive ? Self.itemsNeeded(ratio.estimate, ratio.interval, threshold: minRatio, items: ratio.items) : nil,
            items: ratio.items)
    }

    private func difference(
        _ claim: ClaimSpec, a: (String, String), b: (String, String), measure: String, threshold: Double, goodBelow: Bool,
        ceiling: (String, String, Double, Bool)? = nil
    ) -> ClaimResult {
        guard let left = measureResult(a.0, a.1, measure), let right = measureResult(b.0, b.1, measure) else {
            return undefined(claim, threshold: threshold, reason: "the measures it compares were not taken")
        }
        let unpaired = left.isSummary || right.isSummary
        guard let difference = Self.difference(left, right, confidence: confidence) else {
            return undefined(claim, threshold: threshold, reason: left.isCorrected && left.estimate != nil && right.estimate != nil
                ? Self.unboundedCorrection(measure) : "one side has no countable samples")
        }
        var verdict = Self.verdict(difference.interval, threshold: threshold, goodBelow: goodBelow)
        let what = "\(measure) \(a.0)@\(a.1) − \(b.0)@\(b.1)"
        var reason = Self.reason(verdict, estimate: difference.estimate, interval: difference.interval, threshold: threshold, goodBelow: goodBelow, what: what)
        if let (subject, condition, limit, isCeiling) = ceiling, let estimate = left.claimEstimate {
            let ceilingVerdict = Self.verdict(estimate.interval, threshold: limit, goodBelow: isCeiling)
            if ceilingVerdict != .holds {
                reason += "; \(measure) of \(subject)@\(condition) is \(Format.number(estimate.value)) \(Format.interval(estimate.interval)) against the \(isCeiling ? "ceiling" : "floor") \(Format.number(limit))"
            }
            if ceilingVerdict == .fails || verdict == .fails {
                verdict = .fails
            } else if ceilingVerdict == .inconclusive {
                verdict = .inconclusive
            }
        }
        return ClaimResult(
            claim: claim, verdict: verdict, estimate: difference.estimate, interval: difference.interval, threshold: threshold,
            method: difference.method, reason: reason,
            itemsNeeded: verdict == .inconclusive && !unpaired ? Self.itemsNeeded(difference.estimate, difference.interval, threshold: threshold, items: difference.items) : nil,
            items: difference.items)
    }

    /// `left − right` as claims read it: paired by item (unpaired for published counts), and
    /// for corrected measures mapped by the judge's correction (nil when it cannot be bounded).
    static func difference(_ left: MeasureResult, _ right: MeasureResult, confidence: Double) -> PairedDifference? {
        let raw: PairedDifference?
        if left.isSummary || right.isSummary {
            // Published counts have no items to pair on: the two cells are compared as independent samples.
            raw = left.estimate.flatMap { a in right.estimate.map { b in
                var d = PairedDifference.unpaired(a: a, b: b, confidence: confidence)
                d.method = "unpaired z (\(MeasureResult.summaryNote))"
                return d
            } }
        } else {
            raw = left.spec.metric.difference(left.outcomes, right.outcomes, confidence: confidence)
        }
        guard let raw else { return nil }
        guard let a = left.correction, let b = right.correction else { return raw }
        return RateCorrection.difference(raw, left: a, right: b)
    }

    /// Why a claim on a corrected measure has no interval.
    static func unboundedCorrection(_ measure: String) -> String {
        "\(measure) is corrected for the judge's errors, and its labels do not show the judge's recall above its false-positive rate (TPR − FPR's interval reaches 0), so the corrected rate cannot be bounded: label more answers, or use a better judge"
    }

    /// Transfer from published counts: the ratio of two independent rates, with the MOVER-R
    /// interval built from their Wilson intervals (Donner & Zou 2012).
    private func unpairedTransfer(
        _ claim: ClaimSpec, numerator: MeasureResult, denominator: MeasureResult, minRatio: Double, from: String, to: String, measure: String
    ) -> ClaimResult {
        guard let a = numerator.estimate, let b = denominator.estimate, b.value > 0 else {
            return undefined(claim, threshold: minRatio, reason: "\(measure) under '\(from)' is zero or missing, so the ratio is undefined")
        }
        let interval = Self.moverRatio(a, b, confidence: confidence)
        let estimate = a.value / b.value
        let verdict = Self.verdict(interval, threshold: minRatio, goodBelow: false)
        let reason = Self.reason(verdict, estimate: estimate, interval: interval, threshold: minRatio, goodBelow: false, what: "ratio \(to)/\(from)")
        return ClaimResult(
            claim: claim, verdict: verdict, estimate: estimate, interval: interval, threshold: minRatio,
            method: "MOVER-R from Wilson intervals (\(MeasureResult.summaryNote))", reason: reason, itemsNeeded: nil, items: 1)
    }

    /// The MOVER-R interval for p₁/p₂ from each rate's interval (l, u):
    /// L = (p₁p₂ − √((p₁p₂)² − l₁u₂(2p₁ − l₁)(2p₂ − u₂))) / (u₂(2p₂ − u₂)),
    /// U = (p₁p₂ + √((p₁p₂)² − u₁l₂(2p₁ − u₁)(2p₂ − l₂))) / (l₂(2p₂ − l₂)).
    static func moverRatio(_ a: Estimate, _ b: Estimate, confidence: Double) -> Interval {
        let (p1, l1, u1) = (a.value, a.interval.lower, a.interval.upper)
        let (p2, l2, u2) = (b.value, b.interval.lower, b.interval.upper)
        let product = p1 * p2
        let lowerDenominator = u2 * (2 * p2 - u2)
        let upperDenominator = l2 * (2 * p2 - l2)
        let lower = lowerDenominator > 0
            ? (product - max(0, product * product - l1 * u2 * (2 * p1 - l1) * (2 * p2 - u2)).squareRoot()) / lowerDenominator : 0
        let upper = upperDenominator > 0
            ? (product + max(0, product * product - u1 * l2 * (2 * p1 - u1) * (2 * p2 - l2)).squareRoot()) / upperDenominator : Double.greatestFiniteMagnitude
        return Interval(lower: max(0, lower), upper: upper, confidence: confidence)
    }

    private func undefined(_ claim: ClaimSpec, threshold: Double, reason: String) -> ClaimResult {
        ClaimResult(
            claim: claim, verdict: .inconclusive, estimate: nil, interval: nil, threshold: threshold, method: "—",
            reason: reason, itemsNeeded: nil, items: 0)
    }

    static func verdict(_ interval: Interval, threshold: Double, goodBelow: Bool) -> Verdict {
        if goodBelow {
            if interval.upper <= threshold { return .holds }
            if interval.lower > threshold { return .fails }
        } else {
            if interval.lower >= threshold { return .holds }
            if interval.upper < threshold { return .fails }
        }
        return .inconclusive
    }

    static func reason(_ verdict: Verdict, estimate: Double, interval: Interval, threshold: Double, goodBelow: Bool, what: String) -> String {
        let numbers = "\(what) = \(Format.number(estimate)) \(Format.interval(interval))"
        let side = goodBelow ? "at most" : "at least"
        switch verdict {
        case .holds: return "\(numbers): the whole interval is \(side) \(Format.number(threshold))"
        case .fails: return "\(numbers): the whole interval is on the wrong side of \(Format.number(threshold))"
        case .inconclusive: return "\(numbers): the interval straddles \(Format.number(threshold))"
        }
    }

    /// Items that would likely make the interval clear the threshold, if the
    /// estimate stayed where it is (the half-width shrinks as 1/√n).
    static func itemsNeeded(_ estimate: Double, _ interval: Interval, threshold: Double, items: Int) -> Int? {
        let distance = abs(estimate - threshold)
        let halfWidth = max(estimate - interval.lower, interval.upper - estimate)
        guard distance > 1e-12, halfWidth > 0, items > 0 else { return nil }
        let ratio = halfWidth / distance
        return max(items + 1, Int((Double(items) * ratio * ratio - 1e-9).rounded(.up)))
    }
}
