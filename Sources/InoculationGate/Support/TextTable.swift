/// A plain-text table with aligned columns, for terminals and CI logs.
package struct TextTable: Sendable {
    package var header: [String]
    package var rows: [[String]] = []
    /// Indentation of every line.
    package var indent = "  "

    package init(header: [String]) { self.header = header }

    /// Adds a row; each cell is one line, its control characters made visible (cells
    /// carry names and values read from files and answers).
    package mutating func add(_ row: [String]) { rows.append(row.map { TextSafety.visible($0) }) }

    package func render() -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ row: [String]) -> String {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            return indent + cells.joined(separator: "  ")
        }
        let rule = indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
