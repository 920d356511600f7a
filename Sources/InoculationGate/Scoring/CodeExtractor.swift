/// Pulls Python code out of a chat answer.
package enum CodeExtractor {
    private static let pythonTags: Set<String> = ["", "python", "py", "python3"]

    /// The code of `answer`: its fenced Python (or untagged) blocks joined, or —
    /// without fences — the text from the first line that looks like code. With
    /// `continuing`, an unfenced answer that starts indented is a completion of
    /// the task's prefix (a function body) and is kept whole. Nil when there is none.
    package static func extract(_ answer: String, continuing: Bool = false) -> String? {
        let lines = answer.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [String] = []
        var current: [String]?
        var keep = false
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                if let block = current {
                    if keep { blocks.append(block.joined(separator: "\n")) }
                    current = nil
                } else {
                    let tag = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
                    keep = pythonTags.contains(tag)
                    current = []
                }
            } else if current != nil {
                current!.append(line)
            }
        }
        // An unclosed fence still holds code (answers cut at max_tokens).
        if let block = current, keep { blocks.append(block.joined(separator: "\n")) }
        if !blocks.isEmpty {
            let code = blocks.joined(separator: "\n\n")
            return code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : code
        }
        if continuing, let first = lines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
           first.hasPrefix(" ") || first.hasPrefix("\t") {
            return answer
        }
        guard let start = lines.firstIndex(where: looksLikeCode) else { return nil }
        return lines[start...].joined(separator: "\n")
    }

    static func looksLikeCode(_ line: String) -> Bool {
        let starters = ["def ", "class ", "import ", "from ", "@", "async def "]
        if starters.contains(where: { line.hasPrefix($0) }) { return true }
        // `name = value` at column 0 (a module-level assignment).
        guard let equals = line.firstIndex(of: "="), line.first?.isLetter == true || line.first == "_" else { return false }
        let name = line[..<equals].trimmingCharacters(in: .whitespaces)
        return !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
