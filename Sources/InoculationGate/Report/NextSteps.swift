/// What a person can do next, in the words of the front door they used: the
/// library's reports never name a command themselves.
public struct NextSteps: Sendable, Hashable {
    /// How to accept a changed value deliberately, e.g. `ipgate baseline accept --run ID`.
    public var accept: String
    /// How to record baselines that do not exist yet.
    public var recordMissing: String

    public init(accept: String, recordMissing: String) {
        self.accept = accept
        self.recordMissing = recordMissing
    }
}

extension FingerprintChange: CustomStringConvertible {
    public var description: String {
        switch self {
        case .suiteDefinition(let from, let to):
            return "the suite definition behind it changed (subject, condition text, sampling or metric): \(from.prefix(12)) → \(to.prefix(12))"
        case .probeData(let from, let to):
            return "the probe data changed: \(from.prefix(12)) → \(to.prefix(12))"
        case .scorer(let from, let to):
            return "the scorer changed: \(from) → \(to)"
        }
    }
}

extension DataProblem: CustomStringConvertible {
    public var description: String {
        switch kind {
        case .mostlyEmpty(let empty, let answers, let threshold):
            return "\(slot): \(empty) of \(answers) answers are empty (max_empty_share allows \(Format.number(threshold * 100, decimals: 0))%)"
        case .noCountableSamples(let measure):
            return "\(slot): \(measure) has no countable sample"
        }
    }
}
