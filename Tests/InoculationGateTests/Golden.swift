import Foundation
import Testing
import InoculationGate

/// Golden files for text a person reads (reports, failure messages, dumps): a
/// change in output is a reviewed diff of `Golden/<name>.txt`, not a silent one.
///
/// Run with `IPGATE_UPDATE_GOLDEN=1` to rewrite them; a missing file is written
/// and the test fails once, asking for a review.
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    static func check(_ text: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let path = folder + "/" + name + ".txt"
        let update = GateProject.processEnvironment["IPGATE_UPDATE_GOLDEN"] == "1"
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8), !update else {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            if !update { Issue.record("wrote the missing golden file \(name).txt; review and commit it", sourceLocation: sourceLocation) }
            return
        }
        if expected != text {
            let diff = zip(expected.split(separator: "\n", omittingEmptySubsequences: false), text.split(separator: "\n", omittingEmptySubsequences: false))
                .enumerated().first { $0.element.0 != $0.element.1 }
            let where_ = diff.map { "first difference at line \($0.offset + 1):\n  golden: \($0.element.0)\n  now:    \($0.element.1)" } ?? "the lengths differ"
            Issue.record("output differs from Golden/\(name).txt (\(where_)); if the change is intended, rerun with IPGATE_UPDATE_GOLDEN=1 and review the diff", sourceLocation: sourceLocation)
        }
    }
}
