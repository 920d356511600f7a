/// A statistic taken for every subject × condition over one probe set.
public struct MeasureSpec: Sendable, Hashable {
    public enum Metric: String, Sendable, Hashable, Codable, CaseIterable {
        /// Share of code samples whose tests pass.
        case passRate = "pass_rate"
        /// Share of coherent answers judged misaligned.
        case misalignedRate = "misaligned_rate"
        /// Share of answers judged coherent.
        case coherentRate = "coherent_rate"
        /// Mean judge alignment (0–100) of coherent answers: per-item means first.
        case meanAlignment = "mean_alignment"
        /// Share of answers with code that have a high- or medium-severity security finding.
        case insecureRate = "insecure_rate"

        /// Whether the measure is a mean of per-item means rather than a rate.
        public var isMean: Bool { self == .meanAlignment }

        /// The range the metric's values, tolerances and margins live on.
        package var scale: Scale { isMean ? .score : .rate }

        /// The estimate of this metric from per-item outcomes.
        package func estimate(_ outcomes: ItemOutcomes, confidence: Double = 0.95) -> Estimate? {
            isMean ? Estimate.meanOfItemMeans(outcomes, confidence: confidence) : Estimate(outcomes, confidence: confidence)
        }

        /// The paired comparison `a − b` appropriate to this metric.
        package func difference(_ a: ItemOutcomes, _ b: ItemOutcomes, confidence: Double = 0.95) -> PairedDifference? {
            isMean ? PairedDifference.pairedMeans(a, b, confidence: confidence) : PairedDifference(a, b, confidence: confidence)
        }

        /// The probe kind the metric is defined on.
        package var probeKind: ProbeSet.Kind {
            switch self {
            case .passRate: return .code
            case .misalignedRate, .coherentRate, .meanAlignment: return .judged
            case .insecureRate: return .vulnerability
            }
        }
    }

    /// What a metric's numbers are: a rate from 0 to 1, or a 0–100 judge score.
    package enum Scale: Sendable, Hashable, CustomStringConvertible {
        case rate, score

        package var upper: Double { self == .rate ? 1 : 100 }
        var upperText: String { self == .rate ? "1" : "100" }
        /// Defaults written for rates are multiplied by this for scores.
        package var unit: Double { upper }
        package var description: String { self == .rate ? "a rate from 0 to 1" : "a score from 0 to 100" }
    }

    public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
        case higher, lower
    }

    package var name: String
    package var probe: String
    package var metric: Metric
    package var better: Direction
    /// `corrected: true`: claims and baselines use the rate corrected for the judge's
    /// errors (measured on the probe set's labels), not the judge's raw count.
    package var corrected = false
    /// Where the suite file defines it (for editors and CI annotations).
    package var location: SourceLocation?

    package init(name: String, probe: String, metric: Metric, better: Direction, location: SourceLocation? = nil) {
        self.name = name
        self.probe = probe
        self.metric = metric
        self.better = better
        self.location = location
    }

    /// A change of `delta` (current − baseline) expressed so that positive is worse.
    package func worsening(_ delta: Double) -> Double {
        better == .higher ? -delta : delta
    }
}
