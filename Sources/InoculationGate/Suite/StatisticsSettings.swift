/// How a suite's numbers are computed; part of the suite file (`statistics:`).
package struct StatisticsSettings: Sendable, Hashable {
    /// Confidence level of every interval.
    package var confidence = 0.95
    /// Resamples of the paired bootstrap for ratios (transfer).
    package var bootstrapResamples = 2000
    package var ratioInterval = RatioEstimate.Method.percentile
    /// Adjustment of baseline-comparison p-values across a run.
    package var adjust = MultipleTesting.Method.holm
    /// Power at which minimum detectable effects are quoted.
    package var power = 0.8
    /// A slot (subject × condition × probe set) with a larger share of empty answers
    /// fails the gate: a model that answered nothing must never pass.
    package var maxEmptyShare = 0.5

    package init() {}
}
