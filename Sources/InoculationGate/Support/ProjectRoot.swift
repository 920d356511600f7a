import Foundation

/// The folder that holds `Suites/` and `Baselines/`.
///
/// Found from `IPGATE_ROOT`, else by walking up from a starting path to the
/// first folder with a `Package.swift` — never through a resource bundle,
/// because baselines are written back.
public struct ProjectRoot: Sendable, Hashable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Locates the root from the environment or by walking up from `start`.
    public static func locate(from start: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ProjectRoot {
        if let explicit = environment["IPGATE_ROOT"], !explicit.isEmpty { return ProjectRoot(path: explicit) }
        var folder = URL(fileURLWithPath: start).standardizedFileURL
        if !folder.hasDirectoryPath { folder.deleteLastPathComponent() }
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return ProjectRoot(path: folder.path)
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { throw RootError.notFound(start) }
            folder = parent
        }
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
    public func gitCommit() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", path, "rev-parse", "--short=12", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !text.isEmpty ? text : nil
    }

    public enum RootError: Error, CustomStringConvertible {
        case notFound(String)
        public var description: String {
            "cannot find the project root above \(of): set IPGATE_ROOT to the folder holding Suites/ and Baselines/"
        }
        private var of: String { if case .notFound(let path) = self { return path } else { return "" } }
    }
}
