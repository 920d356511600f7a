/// The "Adaptive sampling" section every output shows for an adaptive run: per claim
/// (and, compacted, per comparison) when it was decided and with how many samples,
/// against the fixed design — and what the intervals are about.
enum AdaptiveText {
    static let header = ["claim", "outcome", "decided at", "samples", "fixed design", "saved"]

    /// The totals line.
    static func totals(_ a: AdaptiveSummary) -> String {
        let comparisons = a.rows.filter { $0.kind == .comparison }
        let decided = comparisons.filter(\.decided).count
        var text = "Adaptive sampling: \(a.rounds) round\(a.rounds == 1 ? "" : "s") of \(a.samplesPerRound) sample\(a.samplesPerRound == 1 ? "" : "s") per item, "
            + "\(a.samples) samples generated against \(a.fixedSamples) in the fixed design (\(percent(a.samples, of: a.fixedSamples)))"
        text += " · per item at most " + (a.maxSamplesPerItem.map(String.init) ?? "each probe set's samples")
        if let budget = a.budget { text += " · budget \(budget)" }
        if !comparisons.isEmpty { text += " · \(decided) of \(comparisons.count) baseline comparisons decided before their cap" }
        if a.lost > 0 { text += " · \(a.lost) answers lost to failed requests" }
        if a.imputed > 0 { text += " · \(a.imputed) values imputed at the worst case" }
        return text
    }

    /// One row per claim.
    static func claimRows(_ a: AdaptiveSummary) -> [[String]] {
        a.rows.filter { $0.kind == .claim }.map { row in
            [
                row.title, row.outcome,
                row.round.map { "round \($0)" } ?? ((row.gaveUpAt.map { "gave up at round \($0)" } ?? "not decided")
                    + (row.moreSamplesPerItem.map { ": ~\($0) more per item" } ?? ": out of reach")),
                String(row.samples), String(row.fixedSamples), saved(row),
            ]
        }
    }

    /// The share of the fixed design's samples not drawn; "×r more" when the suite allowed more.
    static func saved(_ row: AdaptiveSummary.Row) -> String {
        guard row.decided, row.fixedSamples > 0 else { return "—" }
        if row.samples > row.fixedSamples { return "×" + Format.number(Double(row.samples) / Double(row.fixedSamples), decimals: 1) + " of fixed" }
        return percent(row.fixedSamples - row.samples, of: row.fixedSamples)
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole > 0 ? Format.number(100 * Double(part) / Double(whole), decimals: 0) + " %" : "—"
    }
}
