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

    public init() {}
}
