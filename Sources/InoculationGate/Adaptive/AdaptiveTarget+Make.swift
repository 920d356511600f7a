import Foundation

extension AdaptiveTarget {
    /// The targets of a run of `suite`: every claim, and every comparison with an accepted
    /// baseline of the same fingerprint.
    ///
    /// **Multiplicity** (Bonferroni, which needs no ordering of decisions made at different
    /// rounds): the claims share `1 − confidence` equally, the comparisons share the
    /// baseline `alpha` equally (the anytime counterpart of Holm's family-wise rate); within
    /// a claim the contrasts share its part equally, and a comparison gives half of its part
    /// to the current run's sequence and half to the baseline's own interval.
    ///
    /// `resolution` is the grid of the intervals shown; decisions are read at each
    /// threshold's own gamblers and do not depend on it.
    static func make(
        _ suite: Suite, baselines: [MeasureKey: StoredBaseline], fingerprints: [MeasureKey: Fingerprint], resolution: Int = 1000
    ) -> [AdaptiveTarget] {
        let claimAlpha = (1 - suite.statistics.confidence) / Double(max(1, suite.claims.count))
        var targets = suite.claims.enumerated().compactMap { index, claim in
            Self.claim(claim, index: index, suite: suite, alpha: claimAlpha, resolution: resolution)
        }
        let compared = fingerprints.keys.sorted().filter { key in
            guard let stored = baselines[key] else { return false }
            return fingerprints[key]!.changes(from: stored.record.fingerprint).isEmpty
        }
        let comparisonAlpha = suite.baseline.alpha / Double(max(1, compared.count))
        for key in compared {
            if let target = comparison(key, stored: baselines[key]!, suite: suite, alpha: comparisonAlpha, resolution: resolution) { targets.append(target) }
        }
        for index in targets.indices {
            targets[index].slots = targets[index].contrasts.reduce(into: Set()) { $0.formUnion($1.slots) }
            targets[index].fixedSamples = targets[index].slots.reduce(0) { sum, slot in
                let probe = suite.probe(named: slot.probe)
                return sum + (probe.map { $0.items.count * $0.samples } ?? 0)
            }
        }
        return targets
    }

    private static func claim(_ claim: ClaimSpec, index: Int, suite: Suite, alpha: Double, resolution: Int) -> AdaptiveTarget? {
        guard let spec = suite.measure(named: claim.measure), let probe = suite.probe(named: spec.probe) else { return nil }
        let unit = spec.metric.scale.unit
        let items = probe.items.map(\.id).sorted()
        func slot(_ subject: String, _ condition: String) -> Slot { Slot(subject: subject, condition: condition, probe: probe.name) }
        func contrast(_ terms: [(Slot, Double)], alpha: Double, points: [Double]) -> AdaptiveContrast {
            var merged: [Slot: Double] = [:]
            for (slot, weight) in terms { merged[slot, default: 0] += weight }
            return AdaptiveContrast(
                terms: merged.sorted { $0.key < $1.key }.filter { $0.value != 0 }.map { AdaptiveContrast.Term(slot: $0.key, weight: $0.value) },
                metric: spec.metric, judge: probe.judge, items: items, alpha: alpha, points: points, resolution: resolution)
        }
        func target(_ contrasts: [AdaptiveContrast], _ rule: Rule) -> AdaptiveTarget {
            AdaptiveTarget(subject: .claim(index), title: claim.title, contrasts: contrasts, rule: rule, alpha: alpha, unit: unit)
        }
        func difference(_ a: (String, String), _ b: (String, String), threshold: Double, goodBelow: Bool, ceiling: (Double, Bool)? = nil) -> AdaptiveTarget {
            let parts = ceiling == nil ? 1.0 : 2.0
            var contrasts = [contrast([(slot(a.0, a.1), 1), (slot(b.0, b.1), -1)], alpha: alpha / parts, points: [threshold / unit])]
            var sides = [(threshold / unit, goodBelow)]
            if let (limit, isCeiling) = ceiling {
                contrasts.append(contrast([(slot(a.0, a.1), 1)], alpha: alpha / parts, points: [limit / unit]))
                sides.append((limit / unit, isCeiling))
            }
            return target(contrasts, .all(sides.map { (threshold: $0.0, goodBelow: $0.1) }))
        }
        switch claim.kind {
        case let .suppression(subject, _, condition, versus, margin, ceiling):
            let (threshold, goodBelow) = ClaimEvaluator.oriented(-margin, goodBelow: true, better: spec.better)
            return difference((subject, condition), (versus, condition), threshold: threshold, goodBelow: goodBelow,
                              ceiling: ceiling.map { ($0, spec.better == .lower) })
        case let .specificity(_, condition, semantic, random, margin):
            let (threshold, goodBelow) = ClaimEvaluator.oriented(margin, goodBelow: false, better: spec.better)
            return difference((random, condition), (semantic, condition), threshold: threshold, goodBelow: goodBelow)
        case let .noAmplification(subject, _, condition, versusSubject, versusCondition, tolerance):
            let (threshold, goodBelow) = ClaimEvaluator.oriented(tolerance, goodBelow: true, better: spec.better)
            return difference((subject, condition), (versusSubject, versusCondition), threshold: threshold, goodBelow: goodBelow)
        case let .noLeak(subject, _, baseline, family, tolerance):
            let (threshold, goodBelow) = ClaimEvaluator.oriented(tolerance, goodBelow: true, better: spec.better)
            let share = alpha / Double(max(1, family.count))
            let contrasts = family.map { contrast([(slot(subject, $0), 1), (slot(subject, baseline), -1)], alpha: share, points: [threshold / unit]) }
            return target(contrasts, .all(family.map { _ in (threshold: threshold / unit, goodBelow: goodBelow) }))
        case let .transfer(subject, _, from, to, minRatio):
            // As the fixed design: for a lower-is-better measure the ratio is from/to.
            let (numerator, denominator) = spec.better == .higher ? (to, from) : (from, to)
            var result = target([
                contrast([(slot(subject, numerator), 1), (slot(subject, denominator), -minRatio)], alpha: alpha / 2, points: [0]),
                contrast([(slot(subject, numerator), 1)], alpha: alpha / 4, points: []),
                contrast([(slot(subject, denominator), 1)], alpha: alpha / 4, points: []),
            ], .all([(threshold: 0, goodBelow: false)]))
            result.reportsRatio = (1, 2)
            return result
        case let .semanticShare(subject, twin, control, _, condition, min):
            let (t, s, c) = (slot(twin, condition), slot(subject, condition), slot(control, condition))
            return target([
                contrast([(t, 1), (s, -1), (c, -min), (s, min)], alpha: alpha / 3, points: [0]),
                contrast([(c, 1), (s, -1)], alpha: alpha / 3, points: [0]),
                contrast([(t, 1), (s, -1)], alpha: alpha / 3, points: []),
            ], .share(bound: min, atLeast: true))
        case let .gatedShare(subject, _, with, without, base, max):
            let (w, o) = (slot(subject, with), slot(subject, without))
            let denominator: [(Slot, Double)] = base.map { [(w, 1), (slot($0, without), -1)] } ?? [(w, 1)]
            return target([
                contrast([(w, 1), (o, -1)] + denominator.map { ($0.0, -max * $0.1) }, alpha: alpha / 3, points: [0]),
                contrast(denominator, alpha: alpha / 3, points: [0]),
                contrast([(w, 1), (o, -1)], alpha: alpha / 3, points: []),
            ], .share(bound: max, atLeast: false))
        }
    }

    private static func comparison(_ key: MeasureKey, stored: StoredBaseline, suite: Suite, alpha: Double, resolution: Int) -> AdaptiveTarget? {
        guard let spec = suite.measure(named: key.measure), let probe = suite.probe(named: spec.probe) else { return nil }
        let unit = spec.metric.scale.unit
        let outcomes = stored.outcomes
        let items = probe.items.map(\.id).filter { (outcomes[$0]?.trials ?? 0) > 0 }.sorted()
        guard !items.isEmpty else { return nil }
        let values = items.map { outcomes[$0]!.successes / outcomes[$0]!.trials / unit }
        // The baseline's own uncertainty about its mean over these items (half of α), from
        // each item's binomial variance (a one-count floor) or, for scores, the [0, 1] bound.
        let variance = items.indices.reduce(0.0) { sum, i in
            let t = outcomes[items[i]]!.trials
            if spec.metric.isMean { return sum + 0.25 / t }
            let p = min(max(values[i], 0.5 / t), 1 - 0.5 / t)
            return sum + p * (1 - p) / t
        }
        let margin = Normal.quantile(1 - alpha / 4) * variance.squareRoot() / Double(items.count)
        let tolerance = suite.baseline.tolerance(for: key.measure) / unit
        let slot = Slot(subject: key.subject, condition: key.condition, probe: probe.name)
        let contrast = AdaptiveContrast(
            terms: [.init(slot: slot, weight: 1)], metric: spec.metric, judge: probe.judge, items: items, constants: values.map { -$0 },
            alpha: alpha / 2, points: [margin, -margin, tolerance - margin, -tolerance + margin], resolution: resolution)
        return AdaptiveTarget(
            subject: .comparison(key), title: key.description, contrasts: [contrast],
            rule: .comparison(tolerance: tolerance, margin: margin, worseAbove: spec.better == .lower), alpha: alpha, unit: unit)
    }
}
