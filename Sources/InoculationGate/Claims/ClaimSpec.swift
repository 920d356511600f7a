/// A relation between measures that the gate checks, as written in a suite.
///
/// Every claim reads its measure's direction (`better:`): "suppressed" means lower
/// for a lower-is-better measure and higher for a higher-is-better one, and so on.
public struct ClaimSpec: Sendable, Hashable {
    /// What a claim is about, without its arguments: the word a suite file uses.
    public enum Keyword: String, Sendable, Hashable, CaseIterable, Codable {
        case transfer
        case suppression
        case specificity
        case noAmplification = "no_amplification"
        case noLeak = "no_leak"
        case semanticShare = "semantic_share"
        case gatedShare = "gated_share"
    }

    package enum Kind: Sendable, Hashable {
        /// `M(subject, to) / M(subject, from) ≥ minRatio` (for a lower-is-better measure,
        /// `M(from) / M(to)`): a capability learned under the prompt shows without it.
        case transfer(subject: String, measure: String, from: String, to: String, minRatio: Double)
        /// The subject is better than the control by at least `margin` (for a
        /// lower-is-better measure `M(subject) − M(versus) ≤ −margin`), and within
        /// `ceiling` if given (at most it, or for higher-is-better at least it).
        case suppression(subject: String, measure: String, condition: String, versus: String, margin: Double, ceiling: Double?)
        /// The random-string twin is worse than the semantic subject by at least `margin`:
        /// the meaning of the prompt matters, a random string does not do the same.
        case specificity(measure: String, condition: String, semantic: String, random: String, margin: Double)
        /// The subject at `condition` is no worse than `versusSubject` at `versusCondition`
        /// by more than `tolerance`: the prompt does not make the model worse than an
        /// un-inoculated one.
        case noAmplification(subject: String, measure: String, condition: String, versusSubject: String, versusCondition: String, tolerance: Double)
        /// Under every condition of `family` (prompt-shaped texts: negated, same structure,
        /// keywords, irrelevant), the subject is no worse than under `baseline` by more than
        /// `tolerance`; the family's comparisons share the error rate (Bonferroni).
        case noLeak(subject: String, measure: String, baseline: String, family: [String], tolerance: Double)
        /// `(M(twin) − M(subject)) / (M(control) − M(subject)) ≥ min` at `condition`: how
        /// much of the suppression comes from the prompt's meaning rather than from any prompt.
        case semanticShare(subject: String, twin: String, control: String, measure: String, condition: String, min: Double)
        /// `(M(subject, with) − M(subject, without)) / (M(subject, with) − M(base, without)) ≤ max`:
        /// how much of the skill stays gated behind the prompt (0: none, 1: all); without a
        /// base the base term is 0.
        case gatedShare(subject: String, measure: String, with: String, without: String, base: String?, max: Double)
    }

    package var kind: Kind
    /// The verdict the suite expects; a case passes when the gate reaches it.
    package var expect: Verdict
    package var location: SourceLocation

    package init(kind: Kind, expect: Verdict = .holds, location: SourceLocation) {
        self.kind = kind
        self.expect = expect
        self.location = location
    }

    package var keyword: Keyword {
        switch kind {
        case .transfer: return .transfer
        case .suppression: return .suppression
        case .specificity: return .specificity
        case .noAmplification: return .noAmplification
        case .noLeak: return .noLeak
        case .semanticShare: return .semanticShare
        case .gatedShare: return .gatedShare
        }
    }

    /// The subject the claim is about (the semantic-IP subject for specificity).
    package var subject: String {
        switch kind {
        case .transfer(let subject, _, _, _, _), .suppression(let subject, _, _, _, _, _),
             .noAmplification(let subject, _, _, _, _, _), .noLeak(let subject, _, _, _, _),
             .semanticShare(let subject, _, _, _, _, _), .gatedShare(let subject, _, _, _, _, _):
            return subject
        case .specificity(_, _, let semantic, _, _):
            return semantic
        }
    }

    package var measure: String {
        switch kind {
        case .transfer(_, let measure, _, _, _), .suppression(_, let measure, _, _, _, _),
             .specificity(let measure, _, _, _, _), .noAmplification(_, let measure, _, _, _, _),
             .noLeak(_, let measure, _, _, _), .semanticShare(_, _, _, let measure, _, _), .gatedShare(_, let measure, _, _, _, _):
            return measure
        }
    }

    /// A readable name: `transfer › real-ip › capability › ip → none`.
    package var title: String {
        switch kind {
        case let .transfer(subject, measure, from, to, _):
            return "transfer › \(subject) › \(measure) › \(from) → \(to)"
        case let .suppression(subject, measure, condition, versus, _, _):
            return "suppression › \(subject) › \(condition) › \(measure) vs \(versus)"
        case let .specificity(measure, condition, semantic, random, _):
            return "specificity › \(semantic) › \(condition) › \(measure) vs \(random)"
        case let .noAmplification(subject, measure, condition, versusSubject, versusCondition, _):
            return "no_amplification › \(subject) › \(condition) › \(measure) vs \(versusSubject)@\(versusCondition)"
        case let .noLeak(subject, measure, baseline, family, _):
            return "no_leak › \(subject) › \(family.joined(separator: ", ")) › \(measure) vs \(baseline)"
        case let .semanticShare(subject, twin, control, measure, condition, _):
            return "semantic_share › \(subject) › \(condition) › \(measure) (twin \(twin), control \(control))"
        case let .gatedShare(subject, measure, with, without, base, _):
            return "gated_share › \(subject) › \(measure) › \(with) → \(without)" + (base.map { " (base \($0))" } ?? "")
        }
    }
}

/// The outcome of a claim.
public enum Verdict: String, Sendable, Hashable, CaseIterable, Codable {
    case holds, fails, inconclusive
}
