/// "How much of it is real", as a number: the semantic share of a subject's
/// suppression or the gated share of its skill, with its interval (see
/// `ShareEstimate`), from a share claim or derived from the claims the suite has.
public struct ShareResult: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// `(M(twin) − M(ip)) / (M(control) − M(ip))`: 1 = all of the suppression comes from
        /// the prompt's meaning, 0 = any string of that length does as well.
        case semantic
        /// `(M(s, with) − M(s, without)) / (M(s, with) − M(base, without))`: 0 = the skill
        /// shows without the prompt, 1 = only with it.
        case gated
    }

    package var kind: Kind
    package var subject: String
    package var measure: String
    /// The condition it is taken at (semantic) or the prompt's condition (gated).
    package var condition: String
    /// What the sides are, for a reader: `twin real-random, control control`.
    package var sides: String
    package var estimate: Double?
    /// Nil when undefined: the denominator's interval contains 0.
    package var interval: Interval?
    package var denominator: Double
    package var denominatorInterval: Interval
    package var items: Int
    /// The share claim it comes from; nil when derived from a specificity and a suppression
    /// claim (semantic) or a transfer claim (gated, without a base).
    package var claim: String?
}

extension ClaimEvaluator {
    /// Every share the suite's claims define or imply, in claim order: each share claim,
    /// then a semantic share for each specificity claim with a suppression claim on the
    /// same subject, measure and condition, and a gated share for each transfer claim —
    /// unless a share claim already covers it.
    package func shares() -> [ShareResult] {
        var found: [ShareResult] = []
        func add(_ kind: ShareResult.Kind, _ subject: String, _ measure: String, _ condition: String, sides: [(String, String)], described: String, claim: String?) {
            guard !found.contains(where: { $0.kind == kind && $0.subject == subject && $0.measure == measure && $0.condition == condition }) else { return }
            let results = sides.compactMap { measureResult($0.0, $0.1, measure) }
            guard results.count == sides.count,
                  let share = Self.shareEstimate(
                    kind == .semantic ? .semantic : .gated, results, resamples: suite.statistics.bootstrapResamples,
                    seed: StableHash.uint64(["share", String(suite.seed), claim ?? "\(kind.rawValue) \(subject) \(measure) \(condition)"]),
                    confidence: suite.statistics.confidence)
            else { return }
            found.append(ShareResult(
                kind: kind, subject: subject, measure: measure, condition: condition, sides: described, estimate: share.estimate,
                interval: share.interval, denominator: share.denominator, denominatorInterval: share.denominatorInterval, items: share.items,
                claim: claim))
        }
        for claim in suite.claims {
            switch claim.kind {
            case let .semanticShare(subject, twin, control, measure, condition, _):
                add(.semantic, subject, measure, condition, sides: [(twin, condition), (subject, condition), (control, condition)],
                    described: "twin \(twin), control \(control)", claim: claim.title)
            case let .gatedShare(subject, measure, with, without, base, _):
                add(.gated, subject, measure, with, sides: [(subject, with), (subject, without)] + (base.map { [($0, without)] } ?? []),
                    described: "\(with) → \(without)" + (base.map { ", base \($0)" } ?? ""), claim: claim.title)
            default: break
            }
        }
        for claim in suite.claims {
            switch claim.kind {
            case let .specificity(measure, condition, semantic, random, _):
                for case let .suppression(subject, m, c, versus, _, _) in suite.claims.map(\.kind) where subject == semantic && m == measure && c == condition {
                    add(.semantic, semantic, measure, condition, sides: [(random, condition), (semantic, condition), (versus, condition)],
                        described: "twin \(random), control \(versus)", claim: nil)
                }
            case let .transfer(subject, measure, from, to, _):
                add(.gated, subject, measure, from, sides: [(subject, from), (subject, to)], described: "\(from) → \(to)", claim: nil)
            default: break
            }
        }
        return found
    }
}
