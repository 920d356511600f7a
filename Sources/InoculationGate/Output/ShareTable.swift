/// The "How much is real" table every output shows: each share with its interval,
/// or why it is undefined, and what it is read as.
enum ShareTable {
    static let header = ["subject", "share", "measure", "at", "sides", "estimate", "interval", "reads as"]

    /// One row of cells per share (the terminal and Markdown render them).
    static func rows(_ shares: [RunDocument.Share]) -> [[String]] {
        shares.map { s in
            let interval = s.defined ? "[\(Format.number(s.lower)), \(Format.number(s.upper))]" : "undefined"
            return [s.subject, s.kind.rawValue, s.measure, s.condition, s.sides, s.defined ? Format.number(s.estimate) : "—", interval, reading(s)]
        }
    }

    /// One sentence: what the share says, or why there is no share.
    static func reading(_ s: RunDocument.Share) -> String {
        guard s.defined, let estimate = s.estimate else {
            let what = s.kind == .semantic ? "no suppression to share" : "no skill gained under the prompt"
            return "\(what): the denominator \(Format.number(s.denominator)) [\(Format.number(s.denominatorLower)), \(Format.number(s.denominatorUpper))] contains 0"
        }
        let percent = "\(Format.number(estimate * 100, decimals: 0))%"
        switch s.kind {
        case .semantic: return "\(percent) of the suppression comes from the prompt's meaning, the rest from having any prompt"
        case .gated: return "\(percent) of the skill stays gated behind the prompt"
        }
    }
}
