/// Names one measured number: suite › subject › condition › measure.
public struct MeasureKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var suite: String
    public var subject: String
    public var condition: String
    public var measure: String

    public init(suite: String, subject: String, condition: String, measure: String) {
        self.suite = suite
        self.subject = subject
        self.condition = condition
        self.measure = measure
    }

    public var description: String { "\(suite) › \(subject) › \(condition) › \(measure)" }

    public static func < (lhs: MeasureKey, rhs: MeasureKey) -> Bool {
        (lhs.suite, lhs.subject, lhs.condition, lhs.measure) < (rhs.suite, rhs.subject, rhs.condition, rhs.measure)
    }
}

/// What produced a measure. A baseline is compared only with a measure of the
/// same fingerprint; otherwise the gate says which part changed.
public struct Fingerprint: Sendable, Hashable, Codable {
    /// Hash of the parts of the suite that produce this measure: the subject's
    /// provider, the condition's text and placement, the probe set's sampling
    /// settings and the metric. Editing a claim or another subject leaves it alone.
    public var suiteHash: String
    /// SHA-256 of the probe data file.
    public var probeDataHash: String
    /// Scorer (and judge) version.
    public var scorerVersion: String

    public init(suiteHash: String, probeDataHash: String, scorerVersion: String) {
        self.suiteHash = suiteHash
        self.probeDataHash = probeDataHash
        self.scorerVersion = scorerVersion
    }

    /// The fingerprint of `measure` for `subject` under `condition` in `suite`.
    /// `scorerVersion` overrides the probe kind's default (the vulnerability scorer's
    /// depends on the installed Bandit).
    public init(suite: Suite, subject: Subject, condition: Condition, measure: MeasureSpec, scorerVersion: String? = nil) {
        let probe = suite.probe(named: measure.probe)!
        suiteHash = StableHash.hex([
            "fingerprint-v1", subject.provider.fingerprint,
            condition.kind.rawValue, condition.text, condition.placement.rawValue,
            probe.kind.rawValue, String(probe.samples), String(probe.temperature), String(probe.maxTokens),
            String(probe.judge.misalignedBelow), String(probe.judge.coherentAtLeast),
            measure.metric.rawValue, measure.better.rawValue,
        ] + GenerationRequest.hashParts(topP: probe.topP, stop: probe.stop))
        probeDataHash = probe.dataHash
        switch probe.kind {
        case .code: self.scorerVersion = scorerVersion ?? CodeScorer.version
        case .judged: self.scorerVersion = scorerVersion ?? probe.judge.llm.map { LogprobJudge(configuration: $0).fingerprint } ?? RubricJudge.version
        case .vulnerability: self.scorerVersion = scorerVersion ?? VulnerabilityScorer.version
        }
    }

    /// Human-readable differences from `other` (empty when equal).
    public func changes(from other: Fingerprint) -> [String] {
        var changes: [String] = []
        if suiteHash != other.suiteHash {
            changes.append("the suite definition behind it changed (subject, condition text, sampling or metric): \(short(other.suiteHash)) → \(short(suiteHash))")
        }
        if probeDataHash != other.probeDataHash {
            changes.append("the probe data changed: \(short(other.probeDataHash)) → \(short(probeDataHash))")
        }
        if scorerVersion != other.scorerVersion {
            changes.append("the scorer changed: \(other.scorerVersion) → \(scorerVersion)")
        }
        return changes
    }

    private func short(_ hash: String) -> String { String(hash.prefix(12)) }
}
