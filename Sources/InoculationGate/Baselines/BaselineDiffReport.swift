/// `ipgate baseline diff` as text: the rows accepting would change (all rows
/// with `allRows`), then a count.
public struct BaselineDiffReport: Sendable {
    public let diff: BaselineDiff
    public let allRows: Bool

    public init(_ diff: BaselineDiff, allRows: Bool = false) {
        self.diff = diff
        self.allRows = allRows
    }

    public func render() -> String {
        let shown = allRows ? diff.rows : diff.changed
        guard !shown.isEmpty else { return "none of the \(diff.rows.count) baselines would change (run \(diff.runID))\n" }
        var table = TextTable(header: ["measure", "baseline", "run \(diff.runID)", "delta", "note"])
        for row in shown {
            let note = row.change == .unchanged ? "" : row.change.rawValue
                + (row.fingerprintChanges.isEmpty ? "" : ": " + row.fingerprintChanges.map(\.description).joined(separator: "; "))
            table.add([row.key.description, Format.number(row.baseline), Format.number(row.current), Format.signed(row.delta), note])
        }
        let rest = diff.rows.count - diff.changed.count
        return table.render() + "\n\(diff.changed.count) of \(diff.rows.count) baselines would change"
            + (allRows || rest == 0 ? "" : "; \(rest) unchanged not listed (--all-rows lists them)") + "\n"
    }
}
