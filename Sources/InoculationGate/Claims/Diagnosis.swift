/// Which story the claims about one inoculated subject tell: real inoculation, or a
/// prompt that only became a trigger.
///
/// A typed rule over *every* claim about the subject, whatever their number and order.
/// Claims fall into families; a family **fails** when any of its claims fails, is
/// **undecided** when none fails and one is inconclusive, **holds** when all hold, and is
/// **absent** when the suite has none:
///
/// | family | claims |
/// |---|---|
/// | transfer | `transfer`, `gated_share` |
/// | specificity | `specificity`, `semantic_share` |
/// | no-amplification | `no_amplification` |
/// | leak | `no_leak` |
/// | suppression | `suppression` |
///
/// | diagnosis | when (first match) |
/// |---|---|
/// | **trigger-like** | transfer fails together with specificity, no-amplification or leak; or two of those three fail |
/// | **mixed** | any other claim about the subject fails (suppression included) |
/// | **not enough evidence** | transfer, specificity or no-amplification is absent |
/// | **inconclusive** | nothing fails, something is undecided |
/// | **real** | transfer, specificity and no-amplification hold, and every other claim about the subject holds |
public struct Diagnosis: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// Transfer, specificity and no-amplification hold, and nothing about the subject fails or leaks.
        case real
        /// The prompt acts as a trigger: capability stays gated behind it, and a
        /// random string suppresses as well, the prompt amplifies, or the trait leaks.
        case triggerLike = "trigger-like"
        /// Something fails, in no pattern above.
        case mixed
        /// Nothing fails, but something the verdict needs is undecided.
        case inconclusive
        /// A family the rule needs has no claim about this subject.
        case notEnoughEvidence = "not-enough-evidence"
    }

    /// The rule's families of claims.
    package enum Family: String, Sendable, Hashable, CaseIterable {
        case transfer, specificity, noAmplification = "no-amplification", leak, suppression

        package init(_ keyword: ClaimSpec.Keyword) {
            switch keyword {
            case .transfer, .gatedShare: self = .transfer
            case .specificity, .semanticShare: self = .specificity
            case .noAmplification: self = .noAmplification
            case .noLeak: self = .leak
            case .suppression: self = .suppression
            }
        }

        /// The families without which no subject is called real.
        package static let needed: [Family] = [.transfer, .specificity, .noAmplification]
    }

    /// What the claims of one family say together.
    package enum Status: Sendable, Hashable {
        case absent, holds, undecided, fails
    }

    package var subject: String
    package var kind: Kind
    /// The claims behind it, with their verdicts, in the suite's order.
    package var evidence: [Evidence]

    /// One claim's verdict.
    package struct Evidence: Sendable, Hashable {
        package var keyword: ClaimSpec.Keyword
        package var verdict: Verdict

        package init(keyword: ClaimSpec.Keyword, verdict: Verdict) {
            self.keyword = keyword
            self.verdict = verdict
        }
    }

    /// The status of `family` among `evidence`.
    package static func status(_ family: Family, in evidence: [Evidence]) -> Status {
        let verdicts = evidence.filter { Family($0.keyword) == family }.map(\.verdict)
        if verdicts.isEmpty { return .absent }
        if verdicts.contains(.fails) { return .fails }
        if verdicts.contains(.inconclusive) { return .undecided }
        return .holds
    }

    /// Applies the rule (see the type's documentation) to every claim about one subject.
    package static func diagnose(subject: String, evidence: [Evidence]) -> Diagnosis {
        Diagnosis(subject: subject, kind: kind(of: evidence), evidence: evidence)
    }

    static func kind(of evidence: [Evidence]) -> Kind {
        let transfer = status(.transfer, in: evidence)
        let signs = [Family.specificity, .noAmplification, .leak].filter { status($0, in: evidence) == .fails }.count
        if (transfer == .fails && signs >= 1) || signs >= 2 { return .triggerLike }
        if evidence.contains(where: { $0.verdict == .fails }) { return .mixed }
        if Family.needed.contains(where: { status($0, in: evidence) == .absent }) { return .notEnoughEvidence }
        if evidence.contains(where: { $0.verdict == .inconclusive }) { return .inconclusive }
        return .real
    }

    /// Why the rule cannot reach `kind` for a subject whose claims fall into `present`
    /// families (what is missing), or nil when it can. `suites validate` says this for
    /// every `expect_diagnosis`.
    package static func unreachable(_ kind: Kind, present: Set<Family>) -> String? {
        let have = present.isEmpty ? "none" : Family.allCases.filter(present.contains).map(\.rawValue).joined(separator: ", ")
        switch kind {
        case .real, .inconclusive:
            let missing = Family.needed.filter { !present.contains($0) }
            guard !missing.isEmpty else { return nil }
            return "it needs claims of transfer, specificity and no-amplification about the subject; missing: \(missing.map(\.rawValue).joined(separator: ", ")) (it has: \(have))"
        case .triggerLike:
            let signs = [Family.specificity, .noAmplification, .leak].filter(present.contains).count
            if (present.contains(.transfer) && signs >= 1) || signs >= 2 { return nil }
            return "it needs a transfer claim together with a specificity, no_amplification or no_leak claim about the subject, or two of those three (it has: \(have))"
        case .mixed:
            return present.isEmpty ? "it needs at least one claim about the subject" : nil
        case .notEnoughEvidence:
            return Family.needed.allSatisfy(present.contains)
                ? "transfer, specificity and no-amplification are all claimed, so evidence is never short" : nil
        }
    }
}
