/// GitHub Actions workflow commands for a run: `::error` at the suite line of
/// every failed case, `::warning` for what passed without being decided by the
/// data (underpowered comparisons, inconclusive claims that were expected so).
public enum WorkflowAnnotations {
    public static func render(_ document: RunDocument) -> String {
        var lines: [String] = []
        for testCase in document.cases {
            if let failure = testCase.failure {
                lines.append(command("error", testCase, message: failure))
            } else if let warning = testCase.warning {
                lines.append(command("warning", testCase, message: warning))
            }
        }
        for problem in document.dataProblems {
            lines.append("::error file=\(property(document.run.suiteFile)),title=\(property("no verdict without data"))::\(data(problem))")
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    static func command(_ level: String, _ testCase: RunDocument.Case, message: String) -> String {
        var properties: [String] = []
        if let location = testCase.location {
            properties.append("file=\(property(location.file))")
            properties.append("line=\(location.line)")
            properties.append("col=\(location.column)")
        }
        properties.append("title=\(property(testCase.name))")
        return "::\(level) \(properties.joined(separator: ","))::\(data(message))"
    }

    /// The escaping the workflow-command format asks for in messages.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// … and in property values.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
