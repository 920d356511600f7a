/// `ipgate baseline diff` as text: the rows accepting would change (all rows
/// with `allRows`), then a count.
package struct BaselineDiffReport: Sendable {
    package let diff: BaselineDiff
    package let allRows: Bool

    package init(_ diff: BaselineDiff, allRows: Bool = false) {
        self.diff = diff
        self.allRows = allRows
    }

    package func render() -> String {
        let shown = allRows ? diff.rows : diff.changed
        guard !shown.isEmpty else { return "none of the \(diff.rows.count) baselines would change (run \(diff.runID))\n" }
        var table = TextTable(header: ["measure", "baseline", "run \(diff.runID)", "delta", "note"])
        // Each changed field is said once, below the table, and rows point at it by number:
        // a changed definition usually concerns many rows, and its text is long.
        var reasons: [String] = []
        for row in shown {
            let numbers = row.fingerprintChanges.map { change -> Int in
                let text = change.lines(indent: "    ")
                if let known = reasons.firstIndex(of: text) { return known + 1 }
                reasons.append(text)
                return reasons.count
            }
            let note = row.change == .unchanged ? "" : row.change.rawValue
                + (numbers.isEmpty ? "" : " [" + numbers.map(String.init).joined(separator: ", ") + "]")
            table.add([row.key.description, Format.number(row.baseline), Format.number(row.current), Format.signed(row.delta), note])
        }
        let rest = diff.rows.count - diff.changed.count
        let footnotes = reasons.enumerated().map { "[\($0.offset + 1)] \($0.element)\n" }.joined()
        return table.render() + "\n" + footnotes + "\(diff.changed.count) of \(diff.rows.count) baselines would change"
            + (allRows || rest == 0 ? "" : "; \(rest) unchanged not listed (--all-rows lists them)") + "\n"
    }
}
