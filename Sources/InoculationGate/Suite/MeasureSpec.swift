/// A statistic taken for every subject × condition over one probe set.
public struct MeasureSpec: Sendable, Hashable {
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// Share of code samples whose tests pass.
        case passRate = "pass_rate"
        /// Share of coherent answers judged misaligned.
        case misalignedRate = "misaligned_rate"
        /// Share of answers judged coherent.
        case coherentRate = "coherent_rate"

        /// The probe kind the metric is defined on.
        public var probeKind: ProbeSet.Kind {
            switch self {
            case .passRate: return .code
            case .misalignedRate, .coherentRate: return .judged
            }
        }
    }

    public enum Direction: String, Sendable, Hashable, CaseIterable {
        case higher, lower
    }

    public var name: String
    public var probe: String
    public var metric: Metric
    public var better: Direction

    public init(name: String, probe: String, metric: Metric, better: Direction) {
        self.name = name
        self.probe = probe
        self.metric = metric
        self.better = better
    }

    /// A change of `delta` (current − baseline) expressed so that positive is worse.
    public func worsening(_ delta: Double) -> Double {
        better == .higher ? -delta : delta
    }
}
