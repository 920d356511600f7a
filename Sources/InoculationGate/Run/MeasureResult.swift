/// One measure of one subject under one condition, with the per-item outcomes
/// behind it (what baselines store and comparisons pair on).
package struct MeasureResult: Sendable, Hashable, Codable {
    package var key: MeasureKey
    package var spec: MeasureSpecSnapshot
    package var outcomes: ItemOutcomes
    /// Nil when no sample counted (e.g. no coherent answer for a misaligned rate).
    package var estimate: Estimate?
    package var fingerprint: Fingerprint
    /// Set when the measure comes from a published summary (k of n for the whole cell):
    /// there are no items to pair on, so claims and comparisons are unpaired.
    package var fromSummary: Bool?
    /// For a `corrected: true` measure: how the judge's errors are corrected, the corrected
    /// estimate (nil when the labels cannot bound it), and the judge's error rates that map
    /// a change against the baseline. `estimate` stays the judge's raw count, which is what
    /// baselines store and check against their per-item outcomes.
    package var correction: RateCorrection?
    package var correctedEstimate: Estimate?
    package var judgeRates: RateCorrection.ErrorRates?

    package init(key: MeasureKey, spec: MeasureSpecSnapshot, outcomes: ItemOutcomes, estimate: Estimate?, fingerprint: Fingerprint, fromSummary: Bool? = nil) {
        self.key = key
        self.spec = spec
        self.outcomes = outcomes
        self.estimate = estimate
        self.fingerprint = fingerprint
        self.fromSummary = fromSummary
    }

    package var isSummary: Bool { fromSummary == true }

    /// Whether claims read this measure corrected for the judge's errors.
    package var isCorrected: Bool { correction != nil }

    /// The estimate claims use: the corrected one for a corrected measure (nil when the
    /// labels cannot bound it), the raw one otherwise.
    package var claimEstimate: Estimate? { isCorrected ? correctedEstimate : estimate }

    /// What every unpaired result from summary counts says about itself.
    package static let summaryNote = "unpaired, from summary counts: pairing by item and item-clustered intervals need the per-answer file"
}

/// The parts of a measure's definition a stored result needs.
package struct MeasureSpecSnapshot: Sendable, Hashable, Codable {
    package var metric: MeasureSpec.Metric
    package var better: MeasureSpec.Direction
    package var probe: String

    package init(_ spec: MeasureSpec) {
        metric = spec.metric
        better = spec.better
        probe = spec.probe
    }

    package init(metric: MeasureSpec.Metric, better: MeasureSpec.Direction, probe: String) {
        self.metric = metric
        self.better = better
        self.probe = probe
    }
}
