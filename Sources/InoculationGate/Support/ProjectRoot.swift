import Foundation

/// The folder that holds `Suites/` and `Baselines/`.
///
/// Given explicitly (`--root`, `IPGATE_ROOT`), else found by walking up from a
/// starting path to the first folder with a `Suites/` folder — never through a
/// resource bundle, because baselines are written back. A root without
/// `Suites/` is an error, and locating one creates nothing.
public struct ProjectRoot: Sendable, Hashable {
    public let path: String

    /// A root at `path`, unchecked (see ``locate(explicit:from:)``).
    public init(path: String) { self.path = path }

    /// The root named by `explicit`, which must hold `Suites/`; else the nearest
    /// folder at or above `start` that holds `Suites/`.
    public static func locate(explicit: String?, from start: String) throws(RootError) -> ProjectRoot {
        if let explicit {
            let root = ProjectRoot(path: URL(fileURLWithPath: explicit).standardizedFileURL.path)
            guard isFolder(root.suites) else { throw .noSuites(root.path) }
            return root
        }
        var folder = URL(fileURLWithPath: start).standardizedFileURL
        if !isFolder(folder.path) { folder.deleteLastPathComponent() }
        while true {
            if isFolder(folder.appendingPathComponent("Suites").path) { return ProjectRoot(path: folder.path) }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { throw .notFound(start) }
            folder = parent
        }
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public var suites: String { path + "/Suites" }
    public var baselines: String { path + "/Baselines/baselines.sqlite" }
    public var runs: String { path + "/.ipgate/runs.sqlite" }

    /// Every `*.yaml` suite file directly in `Suites/`, sorted.
    public func suiteFiles() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: suites)
        // profiles.yaml sits beside the suites but is not one.
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix("profiles.") }
            .sorted().map { suites + "/" + $0 }
    }

    /// The commit checked out at the root, if it is a git work tree.
    public func gitCommit() async -> String? {
        guard let output = try? await HelperProcess.run("/usr/bin/env", ["git", "-C", path, "rev-parse", "--short=12", "HEAD"]),
              output.succeeded else { return nil }
        let text = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The root cannot be used.
    public enum RootError: Error, Sendable, CustomStringConvertible {
        case notFound(String)
        case noSuites(String)
        case noSuiteFiles(String)

        public var description: String {
            switch self {
            case .notFound(let start):
                return "cannot find the project root: no folder at or above \(start) has a Suites/ folder; give --root or set IPGATE_ROOT to the folder holding Suites/ and Baselines/"
            case .noSuites(let path):
                return "\(path) is not a project root: it has no Suites/ folder (nothing was created); point --root or IPGATE_ROOT at the folder holding Suites/ and Baselines/"
            case .noSuiteFiles(let folder):
                return "no suite files in \(folder); the gate has nothing to check"
            }
        }
    }
}
