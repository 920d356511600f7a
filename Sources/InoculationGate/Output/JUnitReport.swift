import Foundation

/// JUnit XML with one `<testcase>` per gate case (claim, diagnosis, baseline),
/// named `suite › subject › condition › measure`, the failure table as the
/// failure's text — what CI test tabs read. Follows the common JUnit schema
/// (`testsuites` › `testsuite` › `testcase` › `failure` / `system-out`).
public enum JUnitReport {
    public static func render(_ documents: [RunDocument]) -> String {
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        let tests = documents.reduce(0) { $0 + $1.cases.count }
        let failures = documents.reduce(0) { $0 + $1.failedCases.count }
        lines.append(#"<testsuites name="ipgate" tests="\#(tests)" failures="\#(failures)" errors="0">"#)
        for document in documents {
            lines.append(
                #"  <testsuite name="\#(escape(document.run.suite))" tests="\#(document.cases.count)" failures="\#(document.failedCases.count)" errors="0" skipped="0" time="0">"#)
            lines.append("    <properties>")
            for (name, value) in [("run", document.run.id), ("suite-file", document.run.suiteFile), ("git-commit", document.run.gitCommit ?? ""), ("verdict", document.run.verdict.rawValue)] {
                lines.append(#"      <property name="\#(name)" value="\#(escape(value))"/>"#)
            }
            lines.append("    </properties>")
            for testCase in document.cases {
                var attributes = #"classname="\#(escape(document.run.suite)).\#(testCase.kind.rawValue)" name="\#(escape(testCase.name))" time="0""#
                if let location = testCase.location { attributes += #" file="\#(escape(location.file))" line="\#(location.line)""# }
                let details = self.details(testCase, in: document)
                if testCase.passed && testCase.warning == nil && details.isEmpty {
                    lines.append("    <testcase \(attributes)/>")
                    continue
                }
                lines.append("    <testcase \(attributes)>")
                if let failure = testCase.failure {
                    let first = failure.split(separator: "\n").first.map(String.init) ?? failure
                    lines.append(#"      <failure message="\#(escape(first))" type="\#(testCase.kind.rawValue)">\#(escape(failure))</failure>"#)
                }
                let out = ([testCase.warning].compactMap { $0 } + [details]).filter { !$0.isEmpty }.joined(separator: "\n")
                if !out.isEmpty { lines.append("      <system-out>\(escape(out))</system-out>") }
                lines.append("    </testcase>")
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The counts behind a case, for its `system-out`.
    static func details(_ testCase: RunDocument.Case, in document: RunDocument) -> String {
        switch testCase.kind {
        case .baseline:
            guard let c = document.comparison(of: testCase.id) else { return "" }
            return "status \(c.status.rawValue); baseline \(Format.number(c.baseline)), current \(Format.number(c.current)), delta \(Format.signed(c.delta)) "
                + "[\(Format.number(c.lower)), \(Format.number(c.upper))], tolerance \(Format.number(c.tolerance)), MDE \(Format.number(c.minimumDetectableEffect))"
        case .claim:
            guard let c = document.claim(of: testCase.id) else { return "" }
            return "\(c.verdict.rawValue) (expected \(c.expected.rawValue)): \(c.reason); \(c.method), \(c.items) items"
        case .diagnosis:
            return ""
        case .judge:
            guard case .judge(let probe) = testCase.id, let j = document.judges?.first(where: { $0.probe == probe }) else { return "" }
            return JudgeCheckText.about(j) + "; misaligned call: TPR \(JudgeCheckText.valued(j.misaligned.tpr, j.misaligned.tprLower, j.misaligned.tprUpper)), "
                + "FPR \(JudgeCheckText.valued(j.misaligned.fpr, j.misaligned.fprLower, j.misaligned.fprUpper)), κ \(JudgeCheckText.valued(j.misaligned.kappa, j.misaligned.kappaLower, j.misaligned.kappaUpper))"
                + (j.minKappa.map { ", floor \(Format.number($0))" } ?? "")
        }
    }

    /// Text for XML attributes and content; characters XML 1.0 cannot carry are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
