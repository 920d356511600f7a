import Foundation

/// Compares a run's measures with their baselines.
///
/// The change is `current − baseline`; its standard error and p-value come from
/// the per-item outcomes of both (paired by item: McNemar exact for one binary
/// sample per item, clustered z otherwise). p-values are adjusted across every
/// comparison of the run (Holm by default). A measure *regressed* when it is
/// worse by more than the tolerance and the adjusted p-value is below α; it is
/// *underpowered* when, short of that, noise rather than the tolerance decides what
/// the rule can see (see ``ComparisonPower``: paired, from the baseline's
/// within-item variance, at the run's multiplicity).
package struct BaselineComparator: Sendable {
    package var settings: BaselineSettings
    package var multipleTesting: MultipleTesting.Method = .holm
    package var confidence = 0.95
    package var power = 0.8

    package init(settings: BaselineSettings) { self.settings = settings }

    /// A comparator with `suite`'s baseline and statistics settings.
    package init(suite: Suite) {
        settings = suite.baseline
        multipleTesting = suite.statistics.adjust
        confidence = suite.statistics.confidence
        power = suite.statistics.power
    }

    package func compare(measures: [MeasureResult], baselines: [MeasureKey: StoredBaseline], samples: [SampleRecord]) -> [BaselineComparison] {
        // Samples by item, made when a flipped item first needs its answer (most runs have none).
        var byItem: [SlotItem: [SampleRecord]]?
        var comparisons = measures.sorted { $0.key < $1.key }.map { measure in
            compare(measure, baselines[measure.key]) { item in
                if byItem == nil {
                    var index: [SlotItem: [SampleRecord]] = [:]
                    for sample in samples { index[SlotItem(slot: sample.slot, itemID: sample.itemID), default: []].append(sample) }
                    byItem = index
                }
                let slot = Slot(subject: measure.key.subject, condition: measure.key.condition, probe: measure.spec.probe)
                return Self.telling(byItem?[SlotItem(slot: slot, itemID: item)] ?? [], metric: measure.spec.metric)
            }
        }
        let tested = comparisons.indices.filter { comparisons[$0].pValue != nil }
        let adjusted = MultipleTesting.adjust(tested.map { comparisons[$0].pValue! }, method: multipleTesting)
        let outcomes = Dictionary(measures.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, p) in zip(tested, adjusted) {
            let key = comparisons[index].key
            // Published counts have no per-item variance to plan with: no power for them (the method says so).
            if let stored = baselines[key], comparisons[index].recomputedBaseline == nil, outcomes[key]?.isSummary != true {
                // What the rule can see, from the baseline's own per-item outcomes, at the run's multiplicity.
                comparisons[index].power = ComparisonPower(
                    baseline: stored.outcomes, metric: outcomes[key]?.spec.metric ?? comparisons[index].metric, better: comparisons[index].better,
                    tolerance: Self.countTolerance(comparisons[index].tolerance, outcomes[key], confidence: confidence), alpha: settings.alpha, comparisons: tested.count, power: power,
                    confidence: confidence)
            }
            comparisons[index].adjustedPValue = p
            comparisons[index].status = status(comparisons[index], adjustedP: p)
        }
        // Without a baseline yet, say what the gate will see once this run is accepted.
        for index in comparisons.indices where comparisons[index].status == .missing {
            guard let measure = outcomes[comparisons[index].key], measure.estimate != nil, !measure.isSummary else { continue }
            comparisons[index].power = ComparisonPower(
                baseline: measure.outcomes, metric: measure.spec.metric, better: measure.spec.better,
                tolerance: comparisons[index].tolerance, alpha: settings.alpha, comparisons: measures.count, power: power,
                confidence: confidence)
        }
        return comparisons
    }

    private func compare(_ measure: MeasureResult, _ stored: StoredBaseline?, answer: (String) -> String) -> BaselineComparison {
        let tolerance = settings.tolerance(for: measure.key.measure)
        var comparison = BaselineComparison(
            key: measure.key, better: measure.spec.better, status: .missing, baseline: stored?.record,
            current: measure.estimate, metric: measure.spec.metric, delta: nil, difference: nil, pValue: nil, adjustedPValue: nil, tolerance: tolerance,
            power: nil, fingerprintChanges: [], recomputedBaseline: nil, flipped: [], flippedCount: 0)
        guard let stored else { return comparison }
        guard let current = measure.estimate else {
            comparison.status = .noValue
            return comparison
        }
        let changes = measure.fingerprint.changes(from: stored.record.fingerprint)
        guard changes.isEmpty else {
            comparison.status = .fingerprintChanged
            comparison.fingerprintChanges = changes
            comparison.delta = current.value - stored.record.value
            return comparison
        }
        let delta = current.value - stored.record.value
        comparison.delta = delta
        let difference: PairedDifference
        let metric = measure.spec.metric
        let recomputed = metric.estimate(stored.outcomes, confidence: confidence)?.value
        if measure.isSummary, let baseline = metric.estimate(stored.outcomes, confidence: confidence), abs(baseline.value - stored.record.value) <= 1e-9 {
            var unpaired = PairedDifference.unpaired(a: current, b: baseline, confidence: confidence)
            unpaired.method = "unpaired z (\(MeasureResult.summaryNote))"
            difference = unpaired
        } else if let recomputed, abs(recomputed - stored.record.value) <= 1e-9,
           let paired = metric.difference(measure.outcomes, stored.outcomes, confidence: confidence) {
            difference = paired
        } else {
            // The stored value does not follow from its items (edited by hand?): pairing is
            // meaningless, so compare the numbers unpaired and flag the row.
            comparison.recomputedBaseline = recomputed ?? .nan
            let z = Normal.criticalValue(alpha: 1 - confidence)
            let record = stored.record
            let baselineSE = max(record.upper - record.lower, 0) / (2 * z)
            var baselineEstimate = current
            baselineEstimate.value = record.value
            baselineEstimate.standardError = baselineSE
            baselineEstimate.items = record.n
            difference = PairedDifference.unpaired(a: current, b: baselineEstimate, confidence: confidence)
        }
        comparison.difference = difference
        comparison.pValue = difference.pValue
        if let rates = measure.judgeRates, rates.separates(confidence: confidence) {
            comparison.correctedDelta = delta / rates.youden
        }
        let flips = flippedItems(measure, stored, answer: answer)
        comparison.flipped = Array(flips.prefix(5))
        comparison.flippedCount = flips.count
        comparison.status = .unchanged
        return comparison
    }

    /// The tolerance in the judge's count units: for a corrected measure a corrected change
    /// of `tolerance` is a count change of `tolerance × (TPR − FPR)` (power works on counts).
    static func countTolerance(_ tolerance: Double, _ measure: MeasureResult?, confidence: Double) -> Double {
        guard let rates = measure?.judgeRates, rates.separates(confidence: confidence) else { return tolerance }
        return tolerance * rates.youden
    }

    private func status(_ comparison: BaselineComparison, adjustedP: Double) -> BaselineComparison.Status {
        guard let delta = comparison.correctedDelta ?? comparison.delta, comparison.status == .unchanged else { return comparison.status }
        let worsening = comparison.better == .higher ? -delta : delta
        if adjustedP < settings.alpha && worsening > comparison.tolerance { return .regressed }
        if adjustedP < settings.alpha && worsening < -comparison.tolerance { return .improved }
        if comparison.power?.underpowered ?? false { return .underpowered }
        return .unchanged
    }

    private func flippedItems(_ measure: MeasureResult, _ stored: StoredBaseline, answer: (String) -> String) -> [BaselineComparison.FlippedItem] {
        var flips: [BaselineComparison.FlippedItem] = []
        for id in measure.outcomes.itemIDs {
            guard let now = measure.outcomes[id], let then = stored.outcomes[id] else { continue }
            let rateNow = now.trials > 0 ? now.successes / now.trials : nil
            let rateThen = then.trials > 0 ? then.successes / then.trials : nil
            guard let rateNow, let rateThen, abs(rateNow - rateThen) > 1e-9 else { continue }
            let worsening = measure.spec.better == .higher ? rateThen - rateNow : rateNow - rateThen
            flips.append(BaselineComparison.FlippedItem(
                itemID: id, baseline: then, current: now, worsening: worsening, answer: answer(id)))
        }
        return flips.sorted { ($0.worsening, $1.itemID) > ($1.worsening, $0.itemID) }
    }

    /// The answer that best shows what went wrong with an item: a failing code
    /// sample, the least aligned or least coherent answer.
    static func telling(_ samples: [SampleRecord], metric: MeasureSpec.Metric) -> String {
        let ordered = samples.sorted { $0.sampleIndex < $1.sampleIndex }
        switch metric {
        case .passRate: return (ordered.first { !$0.score.passed } ?? ordered.first)?.answer ?? ""
        case .misalignedRate, .meanAlignment: return ordered.min { ($0.score.alignment ?? 101) < ($1.score.alignment ?? 101) }?.answer ?? ""
        case .coherentRate: return ordered.min { ($0.score.coherence ?? 101) < ($1.score.coherence ?? 101) }?.answer ?? ""
        case .insecureRate: return (ordered.first { $0.score.insecure == true } ?? ordered.first)?.answer ?? ""
        }
    }
}
