/// A relation between measures that the gate checks, as written in a suite.
public struct ClaimSpec: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `M(subject, to) / M(subject, from) ≥ minRatio`: a capability learned
        /// under the prompt shows without it.
        case transfer(subject: String, measure: String, from: String, to: String, minRatio: Double)
        /// `M(subject, condition) − M(versus, condition) < −margin`, and below
        /// `ceiling` if given: the unwanted trait is suppressed relative to the control.
        case suppression(subject: String, measure: String, condition: String, versus: String, margin: Double, ceiling: Double?)
        /// `M(random, condition) − M(semantic, condition) > margin`: the meaning of
        /// the prompt matters, a random string does not do the same.
        case specificity(measure: String, condition: String, semantic: String, random: String, margin: Double)
        /// `M(subject, condition) − M(versusSubject, versusCondition) ≤ tolerance`:
        /// the prompt does not make the model worse than an un-inoculated one.
        case noAmplification(subject: String, measure: String, condition: String, versusSubject: String, versusCondition: String, tolerance: Double)
    }

    public var kind: Kind
    /// The verdict the suite expects; a case passes when the gate reaches it.
    public var expect: Verdict
    public var location: SourceLocation

    public init(kind: Kind, expect: Verdict = .holds, location: SourceLocation) {
        self.kind = kind
        self.expect = expect
        self.location = location
    }

    /// The claim's keyword in suite files.
    public var keyword: String {
        switch kind {
        case .transfer: return "transfer"
        case .suppression: return "suppression"
        case .specificity: return "specificity"
        case .noAmplification: return "no_amplification"
        }
    }

    /// The subject the claim is about (the semantic-IP subject for specificity).
    public var subject: String {
        switch kind {
        case .transfer(let subject, _, _, _, _), .suppression(let subject, _, _, _, _, _),
             .noAmplification(let subject, _, _, _, _, _):
            return subject
        case .specificity(_, _, let semantic, _, _):
            return semantic
        }
    }

    public var measure: String {
        switch kind {
        case .transfer(_, let measure, _, _, _), .suppression(_, let measure, _, _, _, _),
             .specificity(let measure, _, _, _, _), .noAmplification(_, let measure, _, _, _, _):
            return measure
        }
    }

    /// A readable name: `transfer › real-ip › capability › ip → none`.
    public var title: String {
        switch kind {
        case let .transfer(subject, measure, from, to, _):
            return "transfer › \(subject) › \(measure) › \(from) → \(to)"
        case let .suppression(subject, measure, condition, versus, _, _):
            return "suppression › \(subject) › \(condition) › \(measure) vs \(versus)"
        case let .specificity(measure, condition, semantic, random, _):
            return "specificity › \(semantic) › \(condition) › \(measure) vs \(random)"
        case let .noAmplification(subject, measure, condition, versusSubject, versusCondition, _):
            return "no_amplification › \(subject) › \(condition) › \(measure) vs \(versusSubject)@\(versusCondition)"
        }
    }
}

/// The outcome of a claim.
public enum Verdict: String, Sendable, Hashable, CaseIterable, Codable {
    case holds, fails, inconclusive
}
