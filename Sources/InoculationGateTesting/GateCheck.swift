import Foundation
import InoculationGate
import Testing

extension GateCase {
    /// What to do next, in `swift test`'s words.
    static let nextSteps = NextSteps(
        investigate: "read the flipped items and answer excerpts above; `ipgate baseline show` lists the accepted values, `ipgate baseline diff` what accepting the newest run would change",
        accept: "if the change is intended, `IPGATE_RECORD=failed swift test` or `ipgate baseline accept` (outside CI), then commit Baselines/",
        recordMissing: "run `swift test` on a developer's machine (IPGATE_RECORD=missing records missing baselines) and commit Baselines/")

    /// Runs (or reuses) the suite and returns this case's outcome — the same one
    /// `ipgate run --junit` reports. Baselines were recorded by the shared run, as
    /// the project's policy says.
    public func outcome() async throws -> GateCaseOutcome {
        let result = try await SharedRuns.shared.result(for: suiteFile, root: root)
        guard let outcome = result.outcome(of: id) else { throw GateError("\(description): suite '\(suiteName)' has no such case any more") }
        return outcome
    }

    /// The failure message, or nil when the case passes.
    public func check() async throws -> String? { try await outcome().failure }

    /// Checks the case. A failure is recorded as a Swift Testing issue at the line of
    /// the suite file that defines what failed (editors and CI annotations jump there),
    /// its message starting with `Suites/…yaml:LINE:COLUMN:`, with the message attached
    /// as a text file (`swift test --attachments-path DIR` keeps it).
    public func expectPasses(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let outcome = try await outcome()
        guard let failure = outcome.failure else {
            // Passed without the data deciding it (underpowered, inconclusive as expected):
            // a warning issue, which does not fail the test but shows in its results.
            if let warning = outcome.warning {
                Issue.record(Comment(rawValue: TextSafety.visibleLines(warning)), severity: .warning, sourceLocation: sourceLocation)
            }
            return
        }
        var location = sourceLocation
        var prefix = ""
        if let place = outcome.location {
            let relative = place.file.hasPrefix(root.path + "/") ? String(place.file.dropFirst(root.path.count + 1)) : place.file
            prefix = "\(relative):\(place.line):\(place.column): "
            location = Testing.SourceLocation(fileID: Self.fileID(relative), filePath: place.file, line: place.line, column: place.column)
        }
        Attachment.record(failure, named: Self.attachmentName(description))
        Issue.record(Comment(rawValue: TextSafety.visibleLines(prefix + failure)), sourceLocation: location)
    }

    /// Swift Testing wants `Module/File` for a file id: `Suites/reference.yaml` reads as such.
    static func fileID(_ relative: String) -> String {
        relative.contains("/") ? relative : "Suites/" + relative
    }

    /// A file name for the case's attachment: its name with separators made safe.
    static func attachmentName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }) + ".txt"
    }
}
