import Foundation

/// Reads probe items from YAML (`tasks:` or `questions:` lists) or JSON Lines.
///
/// Code tasks have `id`, `prompt`, `solution`, `broken` and `tests` (a list of
/// Python statements); questions have `id`, `text` and an optional `theme`.
struct ProbeDataLoader {
    static let taskKeys = ["id", "prompt", "solution", "broken", "tests"]
    static let questionKeys = ["id", "text", "theme"]
    static let vulnerabilityKeys = ["id", "prompt", "secure", "insecure", "cwe"]

    /// The items and the SHA-256 of the file's bytes.
    func load(path: String, kind: ProbeSet.Kind, referencedAt reference: SourceLocation) throws(SuiteError) -> ([ProbeItem], String) {
        let data: Data
        do {
            data = try RegularFile.contents(path)
        } catch {
            throw SuiteError("cannot read probe data: \(error)", at: reference)
        }
        let text = String(decoding: data, as: UTF8.self)
        if kind == .vulnerability && path.hasSuffix(".jsonl") {
            throw SuiteError("vulnerability probe data must be YAML (tasks: with id, prompt, secure, insecure, cwe)", at: reference)
        }
        let items = path.hasSuffix(".jsonl") ? try jsonLines(text, file: path, kind: kind) : try yaml(text, file: path, kind: kind)
        guard !items.isEmpty else {
            throw SuiteError("probe set file '\(path)' has no items; an empty probe set cannot be evaluated", at: reference)
        }
        return (items, SHA256.hex(bytes: SHA256.digest(data)))
    }

    private func yaml(_ text: String, file: String, kind: ProbeSet.Kind) throws(SuiteError) -> [ProbeItem] {
        let root = try YAMLReader.parse(text, file: file)
        let listKey = kind == .judged ? "questions" : "tasks"
        let fields = try root.fields(allowed: [listKey, "about"], what: "a \(kind.rawValue) probe file")
        var items: [ProbeItem] = []
        var seen: Set<String> = []
        for entry in try fields.require(listKey).items(what: "'\(listKey)'") {
            let keys = kind == .code ? Self.taskKeys : (kind == .judged ? Self.questionKeys : Self.vulnerabilityKeys)
            let item = try self.item(try entry.fields(allowed: keys, what: "an item"), kind: kind)
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
        case .vulnerability:
            let task = VulnerabilityTask(
                secure: try fields.string("secure"), insecure: try fields.string("insecure"), cwe: try fields.optionalInt("cwe") ?? 0)
            return ProbeItem(id: id, prompt: try fields.string("prompt"), content: .vulnerability(task))
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
            let format = kind == .code ? CodeFormat.detect(object.keys) : .native
            let allowed = kind == .code ? format.keys : Self.questionKeys
            if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw SuiteError("unknown key '\(unknown)' for a \(format.rawValue) item; expected one of: \(allowed.joined(separator: ", "))", at: location)
            }
            func string(_ key: String, optional: Bool = false) throws(SuiteError) -> String? {
                guard let value = object[key] else {
                    if optional { return nil }
                    throw SuiteError("missing the required key '\(key)'", at: location)
                }
                guard let text = value as? String else { throw SuiteError("'\(key)' must be a string", at: location) }
                return text
            }
            func strings(_ key: String) throws(SuiteError) -> [String] {
                guard let list = object[key] as? [String], !list.isEmpty else {
                    throw SuiteError("'\(key)' must be a non-empty list of strings", at: location)
                }
                return list
            }
            let item: ProbeItem
            switch (kind, format) {
            case (.judged, _), (.vulnerability, _):
                item = ProbeItem(id: try string("id")!, prompt: try string("text")!, content: .question(theme: try string("theme", optional: true) ?? ""))
            case (.code, .native):
                let task = CodeTask(solution: try string("solution")!, broken: try string("broken")!, tests: try strings("tests"))
                item = ProbeItem(id: try string("id")!, prompt: try string("prompt")!, content: .code(task))
            case (.code, .humanEval):
                let prompt = try string("prompt")!, entryPoint = try string("entry_point")!
                let broken = try string("broken_solution", optional: true) ?? "    raise NotImplementedError\n"
                let task = CodeTask(
                    solution: prompt + (try string("canonical_solution")!), broken: prompt + broken,
                    tests: [try string("test")!, "check(\(entryPoint))"], prefix: prompt, entryPoint: entryPoint)
                item = ProbeItem(
                    id: try string("task_id")!,
                    prompt: "Complete the following Python function.\n\n```python\n\(prompt)```", content: .code(task))
            case (.code, .mbpp):
                let tests = try strings("test_list")
                let setup = try string("test_setup_code", optional: true).map { $0.isEmpty ? [] : [$0] } ?? []
                let id: String
                if let number = object["task_id"] as? Int { id = String(number) } else { id = try string("task_id")! }
                let name = CodeFormat.calledFunction(in: tests)
                let stub = name.map { "def \($0)(*args, **kwargs):\n    raise NotImplementedError\n" } ?? "raise NotImplementedError\n"
                let task = CodeTask(
                    solution: try string("code")!, broken: try string("broken_code", optional: true) ?? stub,
                    tests: setup + tests, entryPoint: name)
                let text = try string("text")!
                item = ProbeItem(
                    id: id, prompt: text + "\n\nYour code should pass these tests:\n" + tests.joined(separator: "\n"), content: .code(task))
            }
            let id = item.id
            guard seen.insert(id).inserted else { throw SuiteError("duplicate item id '\(id)'", at: location) }
            items.append(item)
        }
        return items
    }
}

/// The layouts of code-task files: ours, HumanEval's and MBPP's.
enum CodeFormat: String {
    case native
    /// `task_id, prompt, canonical_solution, test, entry_point` (OpenAI HumanEval);
    /// `broken_solution` is this project's optional addition for reference organisms.
    case humanEval = "HumanEval"
    /// `task_id, text, code, test_list[, test_setup_code, challenge_test_list]` (Google MBPP);
    /// `broken_code` is this project's optional addition.
    case mbpp = "MBPP"

    static func detect(_ keys: Dictionary<String, Any>.Keys) -> CodeFormat {
        if keys.contains("canonical_solution") || keys.contains("entry_point") { return .humanEval }
        if keys.contains("test_list") { return .mbpp }
        return .native
    }

    var keys: [String] {
        switch self {
        case .native: return ProbeDataLoader.taskKeys
        case .humanEval: return ["task_id", "prompt", "canonical_solution", "test", "entry_point", "broken_solution"]
        case .mbpp: return ["task_id", "text", "code", "test_list", "test_setup_code", "challenge_test_list", "broken_code"]
        }
    }

    /// The function MBPP's assertions call (`assert name(...) == ...`).
    static func calledFunction(in tests: [String]) -> String? {
        for test in tests {
            guard let range = test.range(of: "assert ") else { continue }
            let rest = test[range.upperBound...].drop { $0 == " " || $0 == "(" }
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty, rest.dropFirst(name.count).first == "(" { return String(name) }
        }
        return nil
    }
}
