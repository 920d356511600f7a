/// `ipgate baseline diff` as text: the rows accepting would change, then a count.
public struct BaselineDiffReport: Sendable {
    public let diff: BaselineDiff

    public init(_ diff: BaselineDiff) { self.diff = diff }

    public func render() -> String {
        var table = TextTable(header: ["measure", "baseline", "run \(diff.runID)", "delta", "note"])
        for row in diff.rows {
            let note = row.change == .unchanged ? "" : row.change.rawValue
                + (row.fingerprintChanges.isEmpty ? "" : ": " + row.fingerprintChanges.map(\.description).joined(separator: "; "))
            table.add([row.key.description, Format.number(row.baseline), Format.number(row.current), Format.signed(row.delta), note])
        }
        return table.render() + "\n\(diff.changed.count) of \(diff.rows.count) baselines would change\n"
    }
}
