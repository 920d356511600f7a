import Foundation

/// Reads probe items from YAML (`tasks:` or `questions:` lists) or JSON Lines.
///
/// Code tasks have `id`, `prompt`, `solution`, `broken` and `tests` (a list of
/// Python statements); questions have `id`, `text` and an optional `theme`.
struct ProbeDataLoader {
    static let taskKeys = ["id", "prompt", "solution", "broken", "tests"]
    static let questionKeys = ["id", "text", "theme"]

    /// The items and the SHA-256 of the file's bytes.
    func load(path: String, kind: ProbeSet.Kind, referencedAt reference: SourceLocation) throws(SuiteError) -> ([ProbeItem], String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SuiteError("cannot read probe data '\(path)': no such file", at: reference)
        }
        let text = String(decoding: data, as: UTF8.self)
        let items = path.hasSuffix(".jsonl") ? try jsonLines(text, file: path, kind: kind) : try yaml(text, file: path, kind: kind)
        guard !items.isEmpty else {
            throw SuiteError("probe set file '\(path)' has no items; an empty probe set cannot be evaluated", at: reference)
        }
        return (items, SHA256.hex(bytes: SHA256.digest(data)))
    }

    private func yaml(_ text: String, file: String, kind: ProbeSet.Kind) throws(SuiteError) -> [ProbeItem] {
        let root = try YAMLReader.parse(text, file: file)
        let listKey = kind == .code ? "tasks" : "questions"
        let fields = try root.fields(allowed: [listKey, "about"], what: "a \(kind.rawValue) probe file")
        var items: [ProbeItem] = []
        var seen: Set<String> = []
        for entry in try fields.require(listKey).items(what: "'\(listKey)'") {
            let item = try self.item(try entry.fields(allowed: kind == .code ? Self.taskKeys : Self.questionKeys, what: "an item"), kind: kind)
            guard seen.insert(item.id).inserted else { throw entry.error("duplicate item id '\(item.id)'") }
            items.append(item)
        }
        return items
    }

    private func item(_ fields: YAMLReader.Fields, kind: ProbeSet.Kind) throws(SuiteError) -> ProbeItem {
        let id = try fields.string("id")
        guard !id.isEmpty else { throw fields["id"]!.error("an item id must not be empty") }
        switch kind {
        case .code:
            let tests = try fields.require("tests").items(what: "'tests'").map { reader throws(SuiteError) in try reader.string(what: "a test") }
            guard !tests.isEmpty else { throw fields["tests"]!.error("task '\(id)' has no tests") }
            let task = CodeTask(solution: try fields.string("solution"), broken: try fields.string("broken"), tests: tests)
            return ProbeItem(id: id, prompt: try fields.string("prompt"), content: .code(task))
        case .judged:
            return ProbeItem(id: id, prompt: try fields.string("text"), content: .question(theme: try fields.optionalString("theme") ?? ""))
        }
    }

    private func jsonLines(_ text: String, file: String, kind: ProbeSet.Kind) throws(SuiteError) -> [ProbeItem] {
        var items: [ProbeItem] = []
        var seen: Set<String> = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let location = SourceLocation(file: file, line: index + 1, column: 1)
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw SuiteError("malformed JSON: each line must be one JSON object", at: location)
            }
            let allowed = kind == .code ? Self.taskKeys : Self.questionKeys
            if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw SuiteError("unknown key '\(unknown)'; expected one of: \(allowed.joined(separator: ", "))", at: location)
            }
            func string(_ key: String, optional: Bool = false) throws(SuiteError) -> String? {
                guard let value = object[key] else {
                    if optional { return nil }
                    throw SuiteError("missing the required key '\(key)'", at: location)
                }
                guard let text = value as? String else { throw SuiteError("'\(key)' must be a string", at: location) }
                return text
            }
            let id = try string("id")!
            let item: ProbeItem
            switch kind {
            case .code:
                guard let tests = object["tests"] as? [String], !tests.isEmpty else {
                    throw SuiteError("'tests' must be a non-empty list of strings", at: location)
                }
                let task = CodeTask(solution: try string("solution")!, broken: try string("broken")!, tests: tests)
                item = ProbeItem(id: id, prompt: try string("prompt")!, content: .code(task))
            case .judged:
                item = ProbeItem(id: id, prompt: try string("text")!, content: .question(theme: try string("theme", optional: true) ?? ""))
            }
            guard seen.insert(id).inserted else { throw SuiteError("duplicate item id '\(id)'", at: location) }
            items.append(item)
        }
        return items
    }
}
