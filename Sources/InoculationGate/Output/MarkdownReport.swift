/// A run as GitHub-flavoured Markdown, for a CI step summary or a pull-request
/// comment: the verdict first, then the failed cases with their tables, the claims,
/// the diagnosis, and the baselines compacted to the rows that are not unchanged.
public enum MarkdownReport {
    public static func render(_ document: RunDocument) -> String {
        let run = document.run
        let failed = document.failedCases
        var out: [String] = []
        let mark = run.verdict == .passed ? "✅ Gate passed" : "❌ GATE FAILED"
        out.append("## \(mark) — suite `\(run.suite)`")
        out.append("\(document.cases.count - failed.count) of \(document.cases.count) cases passed · run `\(run.id)`"
            + (run.gitCommit.map { " · commit `\($0.prefix(12))`" } ?? "") + " · \(run.samples) samples")
        if !document.dataProblems.isEmpty {
            out.append("### No verdict without data\n" + document.dataProblems.map { "- ❌ \(inline($0))" }.joined(separator: "\n"))
        }
        if !failed.isEmpty {
            var section = ["### Failed cases"]
            for testCase in failed {
                let place = testCase.location.map { " — `\($0.file):\($0.line)`" } ?? ""
                section.append("<details open><summary><b>\(html(testCase.name))</b>\(place)</summary>\n\n```text\n\(testCase.failure ?? "")\n```\n</details>")
            }
            out.append(section.joined(separator: "\n\n"))
        }
        if !document.claims.isEmpty {
            var rows = ["| | claim | verdict | estimate [\(Int((run.confidence * 100).rounded()))% interval] | threshold | items |", "|---|---|---|---|---|---|"]
            for c in document.claims {
                let verdict = c.verdict.rawValue + (c.expected == .holds ? "" : " (expected \(c.expected.rawValue))")
                rows.append("| \(c.meetsExpectation ? "✅" : "❌") | \(cell(c.title)) | \(verdict) | \(Format.number(c.estimate)) [\(Format.number(c.lower)), \(Format.number(c.upper))] | \(Format.number(c.threshold)) | \(c.items) |")
            }
            out.append("### Claims\n" + rows.joined(separator: "\n"))
        }
        if !document.diagnoses.isEmpty {
            var rows = ["| subject | diagnosis | expected | evidence |", "|---|---|---|---|"]
            for d in document.diagnoses {
                let ok = d.expected.map { $0 == d.kind ? " ✅" : " ❌" } ?? ""
                rows.append("| \(cell(d.subject)) | \(d.kind.rawValue)\(ok) | \(d.expected?.rawValue ?? "—") | \(d.evidence.map { "\($0.claim.rawValue) \($0.verdict.rawValue)" }.joined(separator: ", ")) |")
            }
            out.append("### Diagnosis\n" + rows.joined(separator: "\n"))
        }
        if let judges = document.judges, !judges.isEmpty {
            out.append(judgeSection(judges))
        }
        if let adaptive = document.adaptive {
            let rows = ["| " + AdaptiveText.header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: AdaptiveText.header.count)]
                + AdaptiveText.claimRows(adaptive).map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
            out.append("### Adaptive sampling\n" + inline(AdaptiveText.totals(adaptive)) + "\n\n" + rows.joined(separator: "\n") + "\n\n" + inline(adaptive.method))
        }
        if let shares = document.shares, !shares.isEmpty {
            let rows = ["| " + ShareTable.header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: ShareTable.header.count)]
                + ShareTable.rows(shares).map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
            out.append("### How much is real\n" + rows.joined(separator: "\n"))
        }
        if !document.comparisons.isEmpty {
            out.append(baselines(document))
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    /// The labelled judges: agreement with the labels, then the corrected rates and why.
    static func judgeSection(_ judges: [RunDocument.Judge]) -> String {
        func table(_ header: [String], _ rows: [[String]]) -> String {
            (["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
                + rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }).joined(separator: "\n")
        }
        var parts = ["### Judge against people's labels", judges.map { "- " + inline(JudgeCheckText.about($0)) }.joined(separator: "\n"),
                     table(JudgeCheckText.agreementHeader, JudgeCheckText.agreementRows(judges))]
        let rates = JudgeCheckText.rateRows(judges)
        if !rates.isEmpty { parts.append(table(JudgeCheckText.rateHeader, rates)) }
        let notes = JudgeCheckText.methodNotes(judges)
        if !notes.isEmpty { parts.append(notes.map { "- " + inline($0) }.joined(separator: "\n")) }
        return parts.joined(separator: "\n\n")
    }

    /// Only rows that are not unchanged, then one line of counts.
    static func baselines(_ document: RunDocument) -> String {
        let shown = document.comparisons.filter { $0.status != .unchanged || $0.inconsistentBaseline != nil || $0.recorded }
        var lines = ["### Baselines"]
        if !shown.isEmpty {
            lines.append("| | subject | condition | measure | baseline | current | delta [interval] | MDE | status |")
            lines.append("|---|---|---|---|---|---|---|---|---|")
            for c in shown {
                lines.append("| \(c.failsGate ? "❌" : "⚠️") | \(cell(c.subject)) | \(cell(c.condition)) | \(cell(c.measure)) | \(Format.number(c.baseline)) | \(Format.number(c.current)) | \(Format.signed(c.delta)) [\(Format.number(c.lower)), \(Format.number(c.upper))] | \(Format.number(c.minimumDetectableEffect)) | \(c.status.rawValue)\(c.recorded ? ", recorded" : "") |")
            }
        }
        lines.append(countLine(document.comparisons))
        return lines.joined(separator: "\n")
    }

    /// `**48 unchanged**, 2 underpowered, 1 regressed` in the statuses' order, with how
    /// many of them this run recorded — the same counts the terminal prints.
    static func countLine(_ comparisons: [RunDocument.Comparison]) -> String {
        BaselineComparison.Status.countLine(comparisons.map { ($0.status, $0.recorded) }, emphasis: "**")
    }

    static func cell(_ text: String) -> String { inline(text).replacingOccurrences(of: "|", with: "\\|") }

    static func inline(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: " ") }

    static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
