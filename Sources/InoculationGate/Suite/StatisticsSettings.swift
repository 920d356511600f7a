/// How a suite's numbers are computed; part of the suite file (`statistics:`).
public struct StatisticsSettings: Sendable, Hashable {
    /// Confidence level of every interval.
    public var confidence = 0.95
    /// Resamples of the paired bootstrap for ratios (transfer).
    public var bootstrapResamples = 2000
    public var ratioInterval = RatioEstimate.Method.percentile
    /// Adjustment of baseline-comparison p-values across a run.
    public var adjust = MultipleTesting.Method.holm
    /// Power at which minimum detectable effects are quoted.
    public var power = 0.8
    /// A slot (subject × condition × probe set) with a larger share of empty answers
    /// fails the gate: a model that answered nothing must never pass.
    public var maxEmptyShare = 0.5

    public init() {}
}
