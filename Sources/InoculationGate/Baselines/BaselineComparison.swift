/// One measure compared with its accepted baseline.
public struct BaselineComparison: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable, Codable {
        /// Within tolerance, or not significant, and noise did not hide a change beyond the tolerance.
        case unchanged
        /// Worse than the tolerance and significant after multiplicity adjustment.
        case regressed
        /// Better than the tolerance and significant after adjustment.
        case improved
        /// The minimum detectable effect exceeds the tolerance: a regression of that size could be missed.
        case underpowered
        /// No baseline has been accepted for this measure.
        case missing
        /// The baseline was produced by a different suite slice, probe data or scorer.
        case fingerprintChanged = "fingerprint-changed"
        /// The current run has no value for this measure (no countable sample).
        case noValue = "no-value"
    }

    /// An item whose outcome differs from the baseline's.
    package struct FlippedItem: Sendable, Hashable {
        package var itemID: String
        package var baseline: ItemOutcomes.Counts
        package var current: ItemOutcomes.Counts
        /// Positive when the item got worse.
        package var worsening: Double
        /// The answer that best shows what happened to the item now.
        package var answer: String
    }

    package var key: MeasureKey
    package var better: MeasureSpec.Direction
    package var status: Status
    package var baseline: BaselineRecord?
    package var current: Estimate?
    /// The metric compared (a rate, or a mean of 0–100 scores).
    package var metric: MeasureSpec.Metric
    /// current − baseline.
    package var delta: Double?
    /// For a `corrected: true` measure: the change in corrected units, `delta / (TPR − FPR)`
    /// of the judge's labels — what the tolerance is compared with. The test of "no change"
    /// is the judge counts' (a common linear map leaves it as it is).
    package var correctedDelta: Double?
    /// The statistics of the change (paired by item when possible).
    package var difference: PairedDifference?
    package var pValue: Double?
    /// After Holm (or BH) across every comparison of the run.
    package var adjustedPValue: Double?
    package var tolerance: Double
    /// What the comparison can see (nil when it was not tested).
    package var power: ComparisonPower?
    /// The smallest worsening the gate's rule flags with the stated power.
    package var minimumDetectableEffect: Double? { power?.minimumDetectableEffect }
    /// When underpowered: items that would let the tolerance, not noise, decide.
    package var itemsNeeded: Int? { power?.itemsNeeded }
    /// What changed in the fingerprint, when it did.
    package var fingerprintChanges: [FingerprintChange]
    /// Set when the stored value does not follow from its stored per-item outcomes.
    package var recomputedBaseline: Double?
    package var flipped: [FlippedItem]
    package var flippedCount: Int

    /// Whether this comparison fails the gate under `settings`.
    package func failsGate(_ settings: BaselineSettings) -> Bool {
        if recomputedBaseline != nil { return true }
        switch status {
        case .unchanged: return false
        // A missing baseline is not a failure of the model; the record mode decides
        // whether it is recorded or (with `never`) reported as a failure.
        case .missing: return false
        case .regressed, .fingerprintChanged, .noValue: return true
        case .improved: return settings.failOnImprovement
        case .underpowered: return settings.failOnUnderpowered
        }
    }
}

extension BaselineComparison.Status {
    /// `48 unchanged, 2 missing (2 recorded)` in the statuses' declared order — the one
    /// count line the terminal, Markdown and HTML print. `emphasis` wraps the unchanged count.
    static func countLine(_ rows: [(status: Self, recorded: Bool)], emphasis: String = "") -> String {
        allCases.compactMap { status -> String? in
            let matching = rows.filter { $0.status == status }
            guard !matching.isEmpty else { return nil }
            let recorded = matching.filter(\.recorded).count
            let text = "\(matching.count) \(status.rawValue)" + (recorded > 0 ? " (\(recorded) recorded)" : "")
            return status == .unchanged ? emphasis + text + emphasis : text
        }.joined(separator: ", ")
    }
}
