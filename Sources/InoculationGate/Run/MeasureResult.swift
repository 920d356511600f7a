/// One measure of one subject under one condition, with the per-item outcomes
/// behind it (what baselines store and comparisons pair on).
public struct MeasureResult: Sendable, Hashable, Codable {
    public var key: MeasureKey
    public var spec: MeasureSpecSnapshot
    public var outcomes: ItemOutcomes
    /// Nil when no sample counted (e.g. no coherent answer for a misaligned rate).
    public var estimate: Estimate?
    public var fingerprint: Fingerprint

    public init(key: MeasureKey, spec: MeasureSpecSnapshot, outcomes: ItemOutcomes, estimate: Estimate?, fingerprint: Fingerprint) {
        self.key = key
        self.spec = spec
        self.outcomes = outcomes
        self.estimate = estimate
        self.fingerprint = fingerprint
    }
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
