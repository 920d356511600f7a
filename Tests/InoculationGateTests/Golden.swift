import Foundation
import Testing
import InoculationGate

/// Golden files for text a person reads (reports, failure messages, dumps): a
/// change in output is a reviewed diff of `Golden/<name>.txt`, not a silent one.
///
/// `IPGATE_UPDATE_GOLDEN` chooses what is written, like the baselines' record modes:
/// `never` (the default on CI: nothing is written, a missing file fails), `missing`
/// (the default elsewhere: a missing file is written and fails once, asking for a
/// review), `failed` (files that differ are rewritten, and the test still fails so the
/// rewrite is seen), `all` (every file is rewritten; `1` means the same).
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    enum Mode: String, CaseIterable {
        case never, missing, failed, all

        /// From the environment the tests were started with.
        static func current(_ environment: GateEnvironment = GateProject.processEnvironment) -> Mode {
            switch environment["IPGATE_UPDATE_GOLDEN"] {
            case "1": return .all
            case let value?: return Mode(rawValue: value) ?? .missing
            case nil: return environment["CI"] != nil ? .never : .missing
            }
        }
    }

    static func check(_ text: String, _ name: String, mode: Mode = .current(), sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let path = folder + "/" + name + ".txt"
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            guard mode != .never else {
                Issue.record("Golden/\(name).txt is missing (IPGATE_UPDATE_GOLDEN=never writes nothing)", sourceLocation: sourceLocation)
                return
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            if mode != .all { Issue.record("wrote the missing golden file \(name).txt; review and commit it", sourceLocation: sourceLocation) }
            return
        }
        if mode == .all {
            if expected != text { try text.write(toFile: path, atomically: true, encoding: .utf8) }
            return
        }
        guard expected != text else { return }
        let hunks = diff(expected, text)
        if mode == .failed {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("rewrote Golden/\(name).txt (IPGATE_UPDATE_GOLDEN=failed); review the change:\n\(hunks)", sourceLocation: sourceLocation)
            return
        }
        Issue.record("output differs from Golden/\(name).txt (- golden, + now):\n\(hunks)\nif the change is intended, rerun with IPGATE_UPDATE_GOLDEN=failed and review the diff", sourceLocation: sourceLocation)
    }

    /// The lines that differ, as unified-diff hunks (`@@ -a,n +b,m @@`, two lines of
    /// context), from a longest common subsequence of lines; at most `limit` lines.
    static func diff(_ old: String, _ new: String, context: Int = 2, limit: Int = 60) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // common[i][j]: the length of the longest common subsequence of a[i...] and b[j...].
        var common = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        enum Line { case same(String), removed(String), added(String) }
        var script: [(line: Line, old: Int, new: Int)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                script.append((.same(a[i]), i, j)); i += 1; j += 1
            } else if i < a.count, j == b.count || common[i + 1][j] >= common[i][j + 1] {
                script.append((.removed(a[i]), i, j)); i += 1
            } else {
                script.append((.added(b[j]), i, j)); j += 1
            }
        }
        let changed = script.indices.filter { if case .same = script[$0].line { return false } else { return true } }
        var shown = Set<Int>()
        for index in changed { for k in max(0, index - context)...min(script.count - 1, index + context) { shown.insert(k) } }
        var out: [String] = []
        var previous: Int?
        for index in shown.sorted() {
            if previous.map({ index != $0 + 1 }) ?? true {
                out.append("@@ -\(script[index].old + 1) +\(script[index].new + 1) @@")
            }
            switch script[index].line {
            case .same(let text): out.append("  " + text)
            case .removed(let text): out.append("- " + text)
            case .added(let text): out.append("+ " + text)
            }
            previous = index
        }
        return (out.count > limit ? out.prefix(limit) + ["… \(out.count - limit) more lines"] : out).joined(separator: "\n")
    }
}
