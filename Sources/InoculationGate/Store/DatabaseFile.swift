import Foundation
import GRDB

/// Opening a store's file: one helper for both stores.
enum DatabaseFile {
    /// Creates the file's folder, opens it with `make` (a pool or a queue), waiting up
    /// to 10 s for a lock held by another process (a concurrent `swift test` or `ipgate`),
    /// and migrates it. Errors name the file.
    static func open<Writer: DatabaseWriter>(
        _ path: String, migrator: DatabaseMigrator, make: (String, Configuration) throws -> Writer
    ) throws -> Writer {
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let writer = try make(path, configuration)
            do {
                try migrator.migrate(writer)
            } catch {
                // Another store migrated the same file at the same moment: its work is done
                // (tables are created IF NOT EXISTS), so one more pass only records it.
                usleep(200_000)
                try migrator.migrate(writer)
            }
            return writer
        } catch {
            throw StoreError.cannotOpen(path, reason: "\(error)")
        }
    }
}
