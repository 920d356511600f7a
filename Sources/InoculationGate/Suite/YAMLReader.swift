import Yams

/// Strict, located access to a composed YAML node.
///
/// Suite files are read through this instead of `Codable` so that every
/// error — an unknown key, a wrong type, a missing field — carries the line
/// and column of the node that caused it.
struct YAMLReader {
    let node: Node
    let file: String
    /// Where the node sits, e.g. `subjects.control.provider`, for messages.
    let path: String

    var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func error(_ message: String) -> SuiteError {
        SuiteError(message, at: location)
    }

    /// Parses `text` and returns a reader for its root, turning Yams errors
    /// into located `SuiteError`s.
    static func parse(_ text: String, file: String) throws(SuiteError) -> YAMLReader {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.locate(error, file: file)
        } catch {
            throw SuiteError("cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        guard let root else {
            throw SuiteError("the file is empty; expected a mapping", at: SourceLocation(file: file, line: 1, column: 1))
        }
        return YAMLReader(node: root, file: file, path: "")
    }

    private static func locate(_ error: YamlError, file: String) -> SuiteError {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) (\($0.text) at \($0.mark))" } ?? problem
            return SuiteError("malformed YAML: \(detail)", at: at(mark))
        case let .duplicatedKeysInMapping(duplicates, context):
            return SuiteError("duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in the mapping that starts here", at: at(context.mark))
        case let .reader(problem, _, _, _):
            return SuiteError("malformed YAML: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return SuiteError("malformed YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    private func child(_ node: Node, _ key: String) -> YAMLReader {
        YAMLReader(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// The entries of a mapping, in file order, rejecting keys not in `allowed`
    /// (pass `nil` to accept any key, e.g. for user-named subjects).
    /// `0007` for 7: how a code point is written.
    static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    func entries(allowed: [String]? = nil, what: String) throws(SuiteError) -> [(key: String, value: YAMLReader)] {
        guard let mapping = node.mapping else {
            throw error("\(describe(what)) must be a mapping of keys to values")
        }
        var seen: Set<String> = []
        var result: [(key: String, value: YAMLReader)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else {
                throw YAMLReader(node: keyNode, file: file, path: path).error("keys in \(describe(what)) must be plain strings")
            }
            let keyReader = YAMLReader(node: keyNode, file: file, path: path)
            // Keys name things (subjects, conditions, probe sets, measures) that end up in
            // baseline keys, reports and file names: no control characters, no blank names.
            if let bad = key.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
                throw keyReader.error("the name '\(key.debugDescription.dropFirst().dropLast())' in \(describe(what)) contains the control character U+\(Self.hex4(bad.value)); names must be printable")
            }
            if key.allSatisfy(\.isWhitespace) {
                throw keyReader.error("a blank name in \(describe(what)); names must have at least one visible character")
            }
            if let allowed, !allowed.contains(key) {
                let hint = Self.nearest(key, in: allowed).map { " — did you mean '\($0)'?" } ?? ""
                throw keyReader.error("unknown key '\(key)' in \(describe(what)); expected one of: \(allowed.joined(separator: ", "))\(hint)")
            }
            if !seen.insert(key).inserted {
                throw keyReader.error("duplicate key '\(key)' in \(describe(what))")
            }
            result.append((key, child(valueNode, key)))
        }
        return result
    }

    /// A keyed view of a mapping for field-by-field reading.
    func fields(allowed: [String], what: String) throws(SuiteError) -> Fields {
        Fields(owner: self, what: what, entries: try entries(allowed: allowed, what: what))
    }

    func items(what: String) throws(SuiteError) -> [YAMLReader] {
        guard let sequence = node.sequence else {
            throw error("\(describe(what)) must be a list")
        }
        return sequence.enumerated().map { child($1, "[\($0)]") }
    }

    var isMapping: Bool { node.mapping != nil }
    var isSequence: Bool { node.sequence != nil }
    var isNull: Bool { node.null != nil }

    func string(what: String) throws(SuiteError) -> String {
        guard case .scalar(let scalar) = node else { throw error("\(describe(what)) must be text") }
        return scalar.string
    }

    func double(what: String) throws(SuiteError) -> Double {
        guard case .scalar = node, let value = node.float, value.isFinite else {
            throw error("\(describe(what)) must be a finite number")
        }
        return value
    }

    func int(what: String) throws(SuiteError) -> Int {
        guard case .scalar = node, let value = node.int else {
            throw error("\(describe(what)) must be a whole number")
        }
        return value
    }

    func bool(what: String) throws(SuiteError) -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw error("\(describe(what)) must be true or false")
        }
        return value
    }

    private func describe(_ what: String) -> String {
        path.isEmpty ? what : "\(what) ('\(path)')"
    }

    /// The allowed key closest to a misspelt one, if any is close.
    static func nearest(_ key: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(key, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, key.count / 3) else { return nil }
        return best
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// Field access over one mapping; missing required fields point at the mapping itself.
    struct Fields {
        let owner: YAMLReader
        let what: String
        let entries: [(key: String, value: YAMLReader)]

        subscript(_ key: String) -> YAMLReader? {
            entries.first { $0.key == key }?.value
        }

        func require(_ key: String) throws(SuiteError) -> YAMLReader {
            guard let value = self[key] else {
                throw owner.error("\(what) is missing the required key '\(key)'")
            }
            return value
        }

        func string(_ key: String) throws(SuiteError) -> String { try require(key).string(what: key) }
        func optionalString(_ key: String) throws(SuiteError) -> String? { try self[key]?.string(what: key) }
        func optionalDouble(_ key: String) throws(SuiteError) -> Double? { try self[key]?.double(what: key) }
        func optionalInt(_ key: String) throws(SuiteError) -> Int? { try self[key]?.int(what: key) }
        func optionalBool(_ key: String) throws(SuiteError) -> Bool? { try self[key]?.bool(what: key) }
    }
}
