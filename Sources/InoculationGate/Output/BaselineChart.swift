/// Every baseline comparison as a row: the delta (current − baseline) and its
/// interval against the ± tolerance band, coloured by status. Rows are grouped
/// by measure so each shares one axis.
enum BaselineChart {
    static func render(_ document: RunDocument) -> String {
        var measures: [String] = []
        for c in document.comparisons where !measures.contains(c.measure) { measures.append(c.measure) }
        let summary = "<p>" + MarkdownReport.countLine(document.comparisons).replacingOccurrences(of: "**", with: "") + "</p>"
        return summary + measures.map { measure in panel(measure, document.comparisons.filter { $0.measure == measure }) }.joined(separator: "\n")
    }

    static func panel(_ measure: String, _ rows: [RunDocument.Comparison]) -> String {
        let tolerance = rows.map(\.tolerance).max() ?? 0
        let values = rows.flatMap { [$0.lower, $0.upper, $0.delta].compactMap { $0 } } + [tolerance, -tolerance]
        let extent = max(values.map(abs).max() ?? 0.01, 0.01) * 1.1
        let labelWidth = 360.0
        let plotWidth = 520.0
        let rowHeight = 18.0
        let top = 24.0
        let height = top + rowHeight * Double(rows.count) + 8
        let width = labelWidth + plotWidth + 130
        func x(_ v: Double) -> Double { labelWidth + (v + extent) / (2 * extent) * plotWidth }
        func f(_ v: Double) -> String { Format.number(v, decimals: 1) }
        var svg = "<svg class=\"baselines\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"baseline deltas for \(HTMLReport.e(measure))\">"
        svg += "<text x=\"0\" y=\"14\" class=\"dimtext\">\(HTMLReport.e(measure)): current − baseline, band ± tolerance \(Format.number(tolerance))</text>"
        svg += "<rect class=\"band\" x=\"\(f(x(-tolerance)))\" y=\"\(f(top - 4))\" width=\"\(f(x(tolerance) - x(-tolerance)))\" height=\"\(f(height - top))\"/>"
        svg += "<line class=\"axis\" x1=\"\(f(x(0)))\" x2=\"\(f(x(0)))\" y1=\"\(f(top - 4))\" y2=\"\(f(height - 4))\"/>"
        for (index, c) in rows.enumerated() {
            let y = top + rowHeight * Double(index) + rowHeight / 2
            let mark = "mark-\(c.status.rawValue)"
            svg += "<text x=\"0\" y=\"\(f(y + 4))\">\(HTMLReport.e("\(c.subject) › \(c.condition)"))</text>"
            // Only rows that were compared have a change to plot.
            let compared = ![.missing, .fingerprintChanged, .noValue].contains(c.status)
            if compared, let lower = c.lower, let upper = c.upper {
                svg += "<line class=\"\(mark)\" stroke-width=\"2.5\" x1=\"\(f(x(lower)))\" x2=\"\(f(max(x(upper), x(lower) + 1)))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            }
            if compared, let delta = c.delta {
                svg += "<circle class=\"\(mark)\" cx=\"\(f(x(delta)))\" cy=\"\(f(y))\" r=\"3.5\"><title>\(HTMLReport.e("\(c.status.rawValue): \(Format.signed(delta)) [\(Format.number(c.lower)), \(Format.number(c.upper))], MDE \(Format.number(c.minimumDetectableEffect))"))</title></circle>"
            }
            svg += "<text x=\"\(f(labelWidth + plotWidth + 10))\" y=\"\(f(y + 4))\" class=\"\(mark)\" stroke=\"none\">\(HTMLReport.e(c.status.rawValue))</text>"
        }
        return svg + "</svg>"
    }
}
