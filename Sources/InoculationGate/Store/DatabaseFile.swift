import Foundation
import GRDB

/// What both stores do before opening their file.
enum DatabaseFile {
    /// Creates the file's folder and returns the shared configuration: wait up to
    /// 10 s for a lock held by another process (a concurrent `swift test` or `ipgate`).
    static func prepare(_ path: String) throws -> Configuration {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return configuration
    }
}
