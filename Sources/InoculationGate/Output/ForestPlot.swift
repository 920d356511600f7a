import Foundation

/// The claims as a forest plot: per claim its estimate and interval against its
/// threshold, coloured by verdict. Ratios (transfer), shares and differences get
/// their own panels, each on its own axis.
enum ForestPlot {
    static func render(_ document: RunDocument) -> String {
        let shares: Set<ClaimSpec.Keyword> = [.semanticShare, .gatedShare]
        let ratios = document.claims.filter { $0.keyword == .transfer }
        let fractions = document.claims.filter { shares.contains($0.keyword) }
        let differences = document.claims.filter { $0.keyword != .transfer && !shares.contains($0.keyword) }
        return [
            panel("Ratios (transfer: without the prompt ÷ with it)", ratios),
            panel("Shares (how much is real: semantic share of suppression, gated share of the skill)", fractions),
            panel("Differences", differences),
        ].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    static func panel(_ title: String, _ claims: [RunDocument.Claim]) -> String {
        guard !claims.isEmpty else { return "" }
        let values = claims.flatMap { [$0.lower, $0.upper, $0.estimate].compactMap { $0 } + [$0.threshold] }
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        let pad = max((high - low) * 0.08, 0.01)
        low -= pad
        high += pad
        let labelWidth = 520.0
        let plotWidth = 560.0
        let rowHeight = 26.0
        let top = 24.0
        let height = top + rowHeight * Double(claims.count) + 8
        func x(_ v: Double) -> Double { labelWidth + (v - low) / (high - low) * plotWidth }
        func f(_ v: Double) -> String { Format.number(v, decimals: 1) }
        var svg = "<svg class=\"forest\" width=\"\(Int(labelWidth + plotWidth + 20))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(labelWidth + plotWidth + 20)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLReport.e(title))\">"
        svg += "<text x=\"0\" y=\"14\" class=\"dimtext\">\(HTMLReport.e(title))</text>"
        for tick in ticks(low, high) {
            svg += "<line class=\"axis\" x1=\"\(f(x(tick)))\" x2=\"\(f(x(tick)))\" y1=\"\(f(top - 4))\" y2=\"\(f(height - 4))\"/>"
            svg += "<text x=\"\(f(x(tick)))\" y=\"14\" text-anchor=\"middle\" class=\"dimtext\">\(Format.number(tick, decimals: 2))</text>"
        }
        for (index, claim) in claims.enumerated() {
            let y = top + rowHeight * Double(index) + rowHeight / 2
            let mark = "mark-\(HTMLReport.verdictClass(claim.verdict))"
            let label = (claim.meetsExpectation ? "✓ " : "✗ ") + claim.title + " — " + claim.verdict.rawValue + (claim.expected == .holds ? "" : " (expected \(claim.expected.rawValue))")
            svg += "<text x=\"0\" y=\"\(f(y + 4))\">\(HTMLReport.e(label))</text>"
            svg += "<line class=\"threshold\" x1=\"\(f(x(claim.threshold)))\" x2=\"\(f(x(claim.threshold)))\" y1=\"\(f(y - 9))\" y2=\"\(f(y + 9))\"/>"
            if let lower = claim.lower, let upper = claim.upper {
                svg += "<line class=\"\(mark)\" stroke-width=\"3\" x1=\"\(f(x(lower)))\" x2=\"\(f(x(upper)))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            }
            if let estimate = claim.estimate {
                svg += "<circle class=\"\(mark)\" cx=\"\(f(x(estimate)))\" cy=\"\(f(y))\" r=\"5\"><title>\(HTMLReport.e("\(Format.number(estimate)) [\(Format.number(claim.lower)), \(Format.number(claim.upper))], threshold \(Format.number(claim.threshold))"))</title></circle>"
            }
        }
        return svg + "</svg>"
    }

    /// About five round ticks between `low` and `high`.
    static func ticks(_ low: Double, _ high: Double) -> [Double] {
        let span = high - low
        guard span > 0 else { return [low] }
        let raw = span / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var tick = (low / step).rounded(.up) * step
        var out: [Double] = []
        while tick <= high + 1e-12 {
            out.append(abs(tick) < 1e-12 ? 0 : tick)
            tick += step
        }
        return out
    }
}
