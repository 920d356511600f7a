/// What a person can do next, in the words of the front door they used: the
/// library's reports never name a command themselves.
public struct NextSteps: Sendable, Hashable {
    /// How to look into a failure: what to read, which command shows what.
    public var investigate: String
    /// How to accept a changed value deliberately, e.g. `ipgate baseline accept --run ID`.
    public var accept: String
    /// How to record baselines that do not exist yet.
    public var recordMissing: String

    public init(investigate: String, accept: String, recordMissing: String) {
        self.investigate = investigate
        self.accept = accept
        self.recordMissing = recordMissing
    }

    /// Both ways on from a changed value, one line each, after `prefix`.
    func bothWays(prefix: String) -> String {
        "\(prefix)investigate: \(investigate)\n\(prefix)or accept deliberately: \(accept)"
    }
}

extension FingerprintChange {
    /// The change with what was and what is now on lines of their own (for lists that
    /// say each change once), indented by `indent`.
    func lines(indent: String) -> String {
        guard case .suiteDefinition(_, _, let fields) = self, !fields.isEmpty else { return description }
        return fields.map { "the \($0.field) changed\n\(indent)was: \($0.from)\n\(indent)now: \($0.to)" }.joined(separator: "\n" + indent)
    }
}

extension FingerprintChange: CustomStringConvertible {
    public var description: String {
        switch self {
        case .suiteDefinition(let from, let to, let fields):
            if fields.isEmpty {
                return "the suite definition behind it changed (subject, condition text, sampling or metric; the baseline predates named fields, so which one cannot be said): \(from.prefix(12)) → \(to.prefix(12))"
            }
            return fields.map { "the \($0.field) changed: \($0.from) → \($0.to)" }.joined(separator: "; ")
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
