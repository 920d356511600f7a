import Foundation
import GRDB

/// The local runs database (not committed): runs, samples with their scores,
/// and measures with per-item outcomes, so any run can later be inspected or
/// accepted as the baseline (`ipgate baseline accept --run ID`).
public final class RunStore: ResponseCache {
    public let path: String
    private let pool: DatabasePool

    public init(path: String) throws {
        self.path = path
        let configuration = try DatabaseFile.prepare(path)
        pool = try DatabasePool(path: path, configuration: configuration)
        do {
            try Self.migrator.migrate(pool)
        } catch {
            // Another store migrated the same file at the same moment: its work is done
            // (tables are created IF NOT EXISTS), so one more pass only records it.
            usleep(200_000)
            try Self.migrator.migrate(pool)
        }
    }

    /// Tables are created `IF NOT EXISTS`: several stores (one per suite in a
    /// parallel `swift test`, or a concurrent `ipgate`) may migrate one file at once.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs") { db in
            try db.create(table: "runs", options: [.ifNotExists]) { t in
                t.primaryKey("id", .text)
                t.column("suite", .text).notNull()
                t.column("suite_file", .text).notNull()
                t.column("started_at", .text).notNull()
                t.column("finished_at", .text)
                t.column("git_commit", .text)
                t.column("status", .text).notNull()
            }
            try db.create(table: "samples", options: [.ifNotExists]) { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("subject", .text).notNull()
                t.column("condition", .text).notNull()
                t.column("probe", .text).notNull()
                t.column("item_id", .text).notNull()
                t.column("sample_index", .integer).notNull()
                t.column("answer", .text).notNull()
                t.column("outcome", .text)
                t.column("alignment", .double)
                t.column("coherence", .double)
                t.column("detail", .text).notNull()
                t.primaryKey(["run_id", "subject", "condition", "probe", "item_id", "sample_index"])
            }
            try db.create(table: "measures", options: [.ifNotExists]) { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("subject", .text).notNull()
                t.column("condition", .text).notNull()
                t.column("measure", .text).notNull()
                t.column("value", .double)
                t.column("lower", .double)
                t.column("upper", .double)
                t.column("items", .integer).notNull()
                t.column("result", .blob).notNull()
                t.primaryKey(["run_id", "subject", "condition", "measure"])
            }
        }
        migrator.registerMigration("v2: response cache") { db in
            try db.create(table: "responses", options: [.ifNotExists]) { t in
                t.primaryKey("key", .text)
                t.column("provider", .text).notNull()
                t.column("answer", .text).notNull()
                t.column("created_at", .text).notNull()
            }
        }
        return migrator
    }

    /// The cached answer for `key`, if any.
    public func cachedAnswer(_ key: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT answer FROM responses WHERE key = ?", arguments: [key]) }
    }

    /// Stores an answer the moment it arrives, so a killed run loses nothing and
    /// a rerun asks nothing twice. The key is unique: a second answer for the
    /// same key is ignored, never duplicated.
    public func storeAnswer(_ answer: String, key: String, provider: String) throws {
        try storeAnswer(answer, key: key, provider: provider, at: Date())
    }

    /// Stores an answer with an explicit time (for tests of pruning).
    public func storeAnswer(_ answer: String, key: String, provider: String, at date: Date) throws {
        try pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO responses (key, provider, answer, created_at) VALUES (?, ?, ?, ?)",
                arguments: [key, provider, answer, ISO8601DateFormatter().string(from: date)])
        }
    }

    /// Cached answers per provider identity.
    public func cacheStats() throws -> [(provider: String, answers: Int, oldest: String, newest: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT provider, COUNT(*) AS n, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM responses GROUP BY provider ORDER BY provider")
                .map { ($0["provider"], $0["n"], $0["oldest"], $0["newest"]) }
        }
    }

    /// Deletes cached answers older than `date` (all when nil); returns how many.
    @discardableResult
    public func pruneCache(before date: Date?) throws -> Int {
        try pool.write { db in
            if let date {
                try db.execute(sql: "DELETE FROM responses WHERE created_at < ?", arguments: [ISO8601DateFormatter().string(from: date)])
            } else {
                try db.execute(sql: "DELETE FROM responses")
            }
            return db.changesCount
        }
    }

    public func beginRun(id: String, suite: Suite, gitCommit: String?, at date: Date = Date()) throws {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO runs (id, suite, suite_file, started_at, git_commit, status) VALUES (?, ?, ?, ?, ?, 'running')",
                arguments: [id, suite.name, suite.file, ISO8601DateFormatter().string(from: date), gitCommit])
        }
    }

    public func save(samples: [SampleRecord], runID: String) throws {
        try pool.write { db in
            let statement = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO samples (run_id, subject, condition, probe, item_id, sample_index, answer, outcome, alignment, coherence, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for s in samples {
                try statement.execute(arguments: [
                    runID, s.subject, s.condition, s.probe, s.itemID, s.sampleIndex, s.answer, s.score.code?.rawValue,
                    s.score.alignment, s.score.coherence, s.score.detail,
                ])
            }
        }
    }

    public func save(measures: [MeasureResult], runID: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try pool.write { db in
            for m in measures {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO measures (run_id, subject, condition, measure, value, lower, upper, items, result)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        runID, m.key.subject, m.key.condition, m.key.measure, m.estimate?.value, m.estimate?.interval.lower,
                        m.estimate?.interval.upper, m.outcomes.itemCount, try encoder.encode(m),
                    ])
            }
        }
    }

    public func finishRun(id: String, status: String, at date: Date = Date()) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?",
                arguments: [ISO8601DateFormatter().string(from: date), status, id])
        }
    }

    /// A run as listed.
    public struct RunSummary: Sendable, Hashable {
        public var id: String
        public var suite: String
        public var startedAt: String
        public var status: String
    }

    /// Finished runs, newest first, optionally of one suite.
    public func runs(suite: String? = nil) throws -> [RunSummary] {
        try pool.read { db in
            var sql = "SELECT id, suite, started_at, status FROM runs WHERE status != 'running'"
            var arguments: StatementArguments = []
            if let suite {
                sql += " AND suite = ?"
                arguments = [suite]
            }
            sql += " ORDER BY started_at DESC, rowid DESC"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                RunSummary(id: $0["id"], suite: $0["suite"], startedAt: $0["started_at"], status: $0["status"])
            }
        }
    }

    /// The measures of a run, in key order.
    public func measures(runID: String) throws -> [MeasureResult] {
        let decoder = JSONDecoder()
        return try pool.read { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [runID]) != nil else {
                throw StoreError.noSuchRun(runID)
            }
            return try Data.fetchAll(db, sql: "SELECT result FROM measures WHERE run_id = ? ORDER BY subject, condition, measure", arguments: [runID])
                .map { try decoder.decode(MeasureResult.self, from: $0) }
        }
    }

    public func sampleCount(runID: String) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM samples WHERE run_id = ?", arguments: [runID]) ?? 0 }
    }
}
