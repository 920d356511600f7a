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
            let writer = try openWaiting(path, configuration, make: make)
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
            throw StoreError.cannotOpen(path, reason: explain(error, path: path))
        }
    }

    /// Opens the file, retrying while another process holds it: SQLite does not call the
    /// busy handler for the `PRAGMA journal_mode = WAL` a pool runs on opening, so a
    /// process opening a file another one is creating failed at once with "database is
    /// locked" (seen when a test read the runs database while `ipgate run` started).
    private static func openWaiting<Writer: DatabaseWriter>(
        _ path: String, _ configuration: Configuration, make: (String, Configuration) throws -> Writer
    ) throws -> Writer {
        let deadline = Date().addingTimeInterval(10)
        while true {
            do {
                return try make(path, configuration)
            } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(50_000)
            }
        }
    }

    /// SQLite's own words are for its developers; a user needs to know that a folder or
    /// file is read-only, and what to do about it.
    static func explain(_ error: Error, path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let unwritable = [folder, path].filter { FileManager.default.fileExists(atPath: $0) && access($0, W_OK) != 0 }
        if let database = error as? DatabaseError,
           [.SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH].contains(database.resultCode.primaryResultCode) || !unwritable.isEmpty {
            if !unwritable.isEmpty {
                return "\(unwritable.joined(separator: " and ")) \(unwritable.count == 1 ? "is" : "are") not writable (read-only?); make \(unwritable.count == 1 ? "it" : "them") writable, or run where the project may be written"
            }
            return "SQLite cannot open or write it (\(database.message ?? "\(database.resultCode)")); check that the file and its folder exist and are writable"
        }
        return "\(error)"
    }
}
