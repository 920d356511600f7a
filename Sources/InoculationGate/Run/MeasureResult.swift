/// One measure of one subject under one condition, with the per-item outcomes
/// behind it (what baselines store and comparisons pair on).
public struct MeasureResult: Sendable, Hashable, Codable {
    public var key: MeasureKey
    public var spec: MeasureSpecSnapshot
    public var outcomes: ItemOutcomes
    /// Nil when no sample counted (e.g. no coherent answer for a misaligned rate).
    public var estimate: Estimate?
    public var fingerprint: Fingerprint
    /// Set when the measure comes from a published summary (k of n for the whole cell):
    /// there are no items to pair on, so claims and comparisons are unpaired.
    public var fromSummary: Bool?

    public init(key: MeasureKey, spec: MeasureSpecSnapshot, outcomes: ItemOutcomes, estimate: Estimate?, fingerprint: Fingerprint, fromSummary: Bool? = nil) {
        self.key = key
        self.spec = spec
        self.outcomes = outcomes
        self.estimate = estimate
        self.fingerprint = fingerprint
        self.fromSummary = fromSummary
    }

    public var isSummary: Bool { fromSummary == true }

    /// What every unpaired result from summary counts says about itself.
    public static let summaryNote = "unpaired, from summary counts: pairing by item and item-clustered intervals need the per-answer file"
}

/// The parts of a measure's definition a stored result needs.
public struct MeasureSpecSnapshot: Sendable, Hashable, Codable {
    public var metric: MeasureSpec.Metric
    public var better: MeasureSpec.Direction
    public var probe: String

    public init(_ spec: MeasureSpec) {
        metric = spec.metric
        better = spec.better
        probe = spec.probe
    }

    public init(metric: MeasureSpec.Metric, better: MeasureSpec.Direction, probe: String) {
        self.metric = metric
        self.better = better
        self.probe = probe
    }
}
