import Foundation

/// A run as one self-contained HTML page — inline CSS and SVG, no script, no
/// request leaves the file: a diagnosis card per subject, a forest plot of the
/// claims, a subject × condition matrix per measure, the baseline chart (delta
/// and interval against ± tolerance), the denominators, the flipped items and
/// the provenance. Light and dark follow the reader's setting.
public enum HTMLReport {
    public static func render(_ document: RunDocument) -> String {
        let run = document.run
        let title = "InoculationGate — \(run.suite) — \(run.verdict == .passed ? "gate passed" : "GATE FAILED")"
        var body: [String] = []
        body.append(header(document))
        if !document.dataProblems.isEmpty {
            body.append(section("No verdict without data", "<ul class=\"problems\">" + document.dataProblems.map { "<li>\(e($0))</li>" }.joined() + "</ul>"))
        }
        if !document.failedCases.isEmpty { body.append(section("Failed cases", failedCases(document))) }
        if !document.diagnoses.isEmpty { body.append(section("Diagnosis", diagnosisCards(document))) }
        if let judges = document.judges, !judges.isEmpty { body.append(section("Judge against people's labels", judgeTables(judges))) }
        if let shares = document.shares, !shares.isEmpty { body.append(section("How much is real", shareTable(shares))) }
        if let adaptive = document.adaptive { body.append(section("Adaptive sampling", adaptiveTable(adaptive))) }
        if !document.claims.isEmpty { body.append(section("Claims", ForestPlot.render(document))) }
        body.append(section("Measures by subject and condition", matrices(document)))
        if !document.comparisons.isEmpty { body.append(section("Baselines", BaselineChart.render(document))) }
        let flipped = flippedItems(document)
        if !flipped.isEmpty { body.append(section("Flipped items", flipped)) }
        if !document.counts.isEmpty { body.append(section("Denominators per slot", counts(document))) }
        body.append(section("Provenance", provenance(document)))
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>\(e(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>
            \(body.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
    }

    static func header(_ document: RunDocument) -> String {
        let run = document.run
        let failed = document.failedCases.count
        let verdict = run.verdict == .passed
            ? "<span class=\"badge pass\">Gate passed</span>"
            : "<span class=\"badge fail\">GATE FAILED</span>"
        return """
            <header><h1>Inoculation gate · suite <code>\(e(run.suite))</code> \(verdict)</h1>
            <p class="meta">\(document.cases.count - failed) of \(document.cases.count) cases passed · run <code>\(e(run.id))</code>\(run.gitCommit.map { " · commit <code>\(e(String($0.prefix(12))))</code>" } ?? "") · \(run.samples) samples · \(e(run.suiteFile))</p></header>
            """
    }

    static func section(_ title: String, _ content: String) -> String {
        "<section><h2>\(e(title))</h2>\n\(content)\n</section>"
    }

    static func judgeTables(_ judges: [RunDocument.Judge]) -> String {
        func table(_ header: [String], _ rows: [[String]]) -> String {
            let head = "<tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
            return "<table><thead>\(head)</thead><tbody>" + rows.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>"
        }
        var html = "<ul>" + judges.map { "<li>\(e(JudgeCheckText.about($0)))</li>" }.joined() + "</ul>"
            + table(JudgeCheckText.agreementHeader, JudgeCheckText.agreementRows(judges))
        let rates = JudgeCheckText.rateRows(judges)
        if !rates.isEmpty { html += "<h3>Rates corrected for the judge's errors</h3>" + table(JudgeCheckText.rateHeader, rates) }
        let notes = JudgeCheckText.methodNotes(judges)
        if !notes.isEmpty { html += "<ul>" + notes.map { "<li>\(e($0))</li>" }.joined() + "</ul>" }
        return html
    }

    /// When each claim of an adaptive run was decided, against the fixed design, and what the intervals are about.
    static func adaptiveTable(_ adaptive: AdaptiveSummary) -> String {
        let head = "<tr>" + AdaptiveText.header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
        let rows = AdaptiveText.claimRows(adaptive).map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined()
        return "<p>\(e(AdaptiveText.totals(adaptive)))</p><table><thead>\(head)</thead><tbody>\(rows)</tbody></table><p class=\"dim\">\(e(adaptive.method))</p>"
    }

    static func shareTable(_ shares: [RunDocument.Share]) -> String {
        let head = "<tr>" + ShareTable.header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
        let rows = ShareTable.rows(shares).map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined()
        return "<table><thead>\(head)</thead><tbody>\(rows)</tbody></table>"
    }

    /// Each failed case with its reason, where it is defined, and its whole message
    /// (next steps included) — the same text every other output shows.
    static func failedCases(_ document: RunDocument) -> String {
        document.failedCases.map { c -> String in
            let reason = c.reason.map { " <span class=\"chip fails\">\(e($0.rawValue))</span>" } ?? ""
            let place = c.location.map { " <span class=\"dim\">\(e($0.file)):\($0.line)</span>" } ?? ""
            return "<details open><summary><b>\(e(c.name))</b>\(reason)\(place)</summary><pre>\(e(c.failure ?? ""))</pre></details>"
        }.joined(separator: "\n")
    }

    static func diagnosisCards(_ document: RunDocument) -> String {
        let cards = document.diagnoses.map { d -> String in
            let met = d.expected.map { $0 == d.kind } ?? true
            let chips = d.evidence.map { "<span class=\"chip \(verdictClass($0.verdict))\">\(e($0.claim.rawValue)) \(e($0.verdict.rawValue))</span>" }.joined(separator: " ")
            return """
                <div class="card \(met ? "" : "bad")"><div class="card-title">\(e(d.subject))</div>
                <div class="card-kind kind-\(e(d.kind.rawValue))">\(e(d.kind.rawValue))</div>
                <div class="card-expected">\(d.expected.map { "expected \(e($0.rawValue)) \(met ? "✓" : "✗")" } ?? "no expectation")</div>
                <div>\(chips)</div></div>
                """
        }
        return "<div class=\"cards\">\(cards.joined())</div>"
    }

    /// One table per measure: subjects down, conditions across, value and interval with a bar.
    static func matrices(_ document: RunDocument) -> String {
        var measureNames: [String] = []
        var subjects: [String] = []
        var conditions: [String] = []
        for m in document.measures {
            if !measureNames.contains(m.measure) { measureNames.append(m.measure) }
            if !subjects.contains(m.subject) { subjects.append(m.subject) }
            if !conditions.contains(m.condition) { conditions.append(m.condition) }
        }
        return measureNames.map { name -> String in
            let rows = document.measures.filter { $0.measure == name }
            let upper = rows.first?.metric.isMean == true ? 100.0 : 1.0
            let better = rows.first?.better.rawValue ?? "higher"
            var html = "<div class=\"matrix\"><h3>\(e(name)) <span class=\"dim\">(\(e(better)) is better)</span></h3><table><thead><tr><th>subject</th>"
            html += conditions.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
            for subject in subjects {
                html += "<tr><th>\(e(subject))</th>"
                for condition in conditions {
                    guard let m = rows.first(where: { $0.subject == subject && $0.condition == condition }), let value = m.value else {
                        html += "<td class=\"dim\">—</td>"
                        continue
                    }
                    html += "<td><div class=\"value\">\(Format.number(value)) <span class=\"dim\">[\(Format.number(m.lower)), \(Format.number(m.upper))]</span></div>"
                        + intervalBar(value: value, lower: m.lower ?? value, upper: m.upper ?? value, scale: upper) + "</td>"
                }
                html += "</tr>"
            }
            return html + "</tbody></table></div>"
        }.joined(separator: "\n")
    }

    static func intervalBar(value: Double, lower: Double, upper: Double, scale: Double) -> String {
        let width = 120.0
        func x(_ v: Double) -> String { Format.number(min(max(v / scale, 0), 1) * width, decimals: 1) }
        return """
            <svg class="bar" width="\(Int(width))" height="10" viewBox="0 0 \(Int(width)) 10" role="img" aria-label="\(Format.number(value)) of \(Format.number(scale, decimals: 0))"><rect class="track" x="0" y="4" width="\(Int(width))" height="2"/><rect class="range" x="\(x(lower))" y="2" width="\(Format.number(max(0.5, (min(upper, scale) - max(lower, 0)) / scale * width), decimals: 1))" height="6"/><circle class="point" cx="\(x(value))" cy="5" r="3"/></svg>
            """
    }

    static func flippedItems(_ document: RunDocument) -> String {
        let changed = document.comparisons.filter { !$0.flipped.isEmpty && $0.status != .unchanged }
        guard !changed.isEmpty else { return "" }
        return changed.map { c -> String in
            var html = "<h3>\(e(c.subject)) › \(e(c.condition)) › \(e(c.measure)) <span class=\"dim\">(\(c.flipped.count) of \(c.flippedCount), worst first)</span></h3>"
            html += "<table><thead><tr><th>item</th><th>baseline</th><th>current</th><th>answer excerpt</th></tr></thead><tbody>"
            for flip in c.flipped {
                html += "<tr><td><code>\(e(flip.item))</code></td><td>\(e(flip.baseline))</td><td>\(e(flip.current))</td><td class=\"excerpt\">\(e(flip.excerpt))</td></tr>"
            }
            return html + "</tbody></table>"
        }.joined(separator: "\n")
    }

    static func counts(_ document: RunDocument) -> String {
        var html = "<table><thead><tr><th>subject</th><th>condition</th><th>probe</th><th>answers</th><th>empty</th><th>scored</th><th>unscored</th><th>incoherent</th><th>counted</th></tr></thead><tbody>"
        for c in document.counts {
            html += "<tr><td>\(e(c.subject))</td><td>\(e(c.condition))</td><td>\(e(c.probe))</td>"
                + [c.answers, c.empty, c.scored, c.unscored, c.incoherent, c.counted].map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }

    static func provenance(_ document: RunDocument) -> String {
        let run = document.run
        var html = "<p>run <code>\(e(run.id))</code> · suite file <code>\(e(run.suiteFile))</code> · commit <code>\(e(run.gitCommit ?? "—"))</code> · record mode \(e(run.recordMode.rawValue))\(run.ci ? " (CI)" : "") · \(run.answersRequested) answers asked, \(run.answersCached) cached, \(run.failedAttempts) failed attempts</p>"
        if let isolation = run.isolation { html += "<p class=\"dim\">model-written code: \(e(isolation))</p>" }
        html += "<table><thead><tr><th>subject</th><th>condition</th><th>measure</th><th>suite slice</th><th>probe data</th><th>scorer</th></tr></thead><tbody>"
        for m in document.measures {
            html += "<tr><td>\(e(m.subject))</td><td>\(e(m.condition))</td><td>\(e(m.measure))</td><td><code>\(e(String(m.fingerprint.suiteHash.prefix(12))))</code></td><td><code>\(e(String(m.fingerprint.probeDataHash.prefix(12))))</code></td><td><code>\(e(m.fingerprint.scorer))</code></td></tr>"
        }
        return html + "</tbody></table>"
    }

    static func verdictClass(_ verdict: Verdict) -> String { verdict.rawValue }

    /// HTML-escaped text.
    static func e(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static let style = """
        :root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --dim: #5c6670; --line: #d6dbe0; --card: #f6f8fa;
          --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --accent: #0969da; --band: rgba(9, 105, 218, 0.12); }
        @media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --dim: #8b949e; --line: #30363d; --card: #161b22;
          --pass: #3fb950; --fail: #f85149; --warn: #d29922; --accent: #58a6ff; --band: rgba(88, 166, 255, 0.16); } }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 24px 20px 48px; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 14px; margin: 16px 0 6px; } code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
        .meta, .dim { color: var(--dim); } .badge { font-size: 14px; padding: 2px 10px; border-radius: 12px; color: #fff; vertical-align: middle; }
        .badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; } .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 220px; }
        .card.bad { border-color: var(--fail); } .card-title { font-weight: 600; } .card-kind { font-size: 18px; margin: 2px 0; }
        .kind-real { color: var(--pass); } .kind-trigger-like { color: var(--fail); } .kind-mixed, .kind-inconclusive { color: var(--warn); }
        .chip { display: inline-block; font-size: 12px; padding: 1px 7px; border-radius: 10px; border: 1px solid currentColor; margin: 2px 2px 0 0; }
        .holds { color: var(--pass); } .fails { color: var(--fail); } .inconclusive { color: var(--warn); }
        table { border-collapse: collapse; margin: 4px 0 12px; } th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
        thead th { color: var(--dim); font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .value { font-variant-numeric: tabular-nums; white-space: nowrap; } .excerpt { font: 12px ui-monospace, monospace; max-width: 640px; }
        .matrix { display: inline-block; margin-right: 24px; vertical-align: top; }
        svg { display: block; } svg text { fill: var(--fg); font: 12px system-ui, sans-serif; } svg .dimtext { fill: var(--dim); }
        .bar .track { fill: var(--line); } .bar .range { fill: var(--accent); opacity: 0.45; } .bar .point { fill: var(--accent); }
        .axis { stroke: var(--line); } .threshold { stroke: var(--fg); stroke-dasharray: 3 3; } .band { fill: var(--band); }
        .mark-holds, .mark-unchanged { stroke: var(--pass); fill: var(--pass); } .mark-fails, .mark-regressed, .mark-fingerprint-changed, .mark-no-value { stroke: var(--fail); fill: var(--fail); }
        .mark-inconclusive, .mark-underpowered, .mark-improved, .mark-missing { stroke: var(--warn); fill: var(--warn); }
        .problems li { color: var(--fail); }
        """
}
