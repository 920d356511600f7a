import Foundation
import GRDB
import Synchronization

/// The local runs database (not committed): runs, samples with their scores,
/// and measures with per-item outcomes, so any run can later be inspected or
/// accepted as the baseline (`ipgate baseline accept --run ID`).
package final class RunStore: ResponseCache {
    package let path: String
    private let pool: DatabasePool
    /// The file as opened (device, inode).
    private let identity: [UInt64]?

    package init(path: String) throws {
        self.path = path
        pool = try DatabaseFile.open(path, migrator: Self.migrator) { path, configuration in
            var configuration = configuration
            // WAL with NORMAL: a commit survives the process's death (kill -9, a crash) without an
            // fsync of its own — one per stored answer (~90 µs here) bounded a whole run's rate. A
            // power cut may lose the last commits: answers asked again, runs marked interrupted.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            return try DatabasePool(path: path, configuration: configuration)
        }
        identity = Self.identity(path)
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
        migrator.registerMigration("v3: run detail, insecure samples") { db in
            let runColumns = try db.columns(in: "runs").map(\.name)
            if !runColumns.contains("detail") {
                try db.alter(table: "runs") { t in t.add(column: "detail", .text) }
            }
            try db.execute(sql: "UPDATE runs SET detail = substr(status, 9), status = 'failed' WHERE status LIKE 'failed:%'")
            if !(try db.columns(in: "samples").map(\.name)).contains("insecure") {
                try db.alter(table: "samples") { t in t.add(column: "insecure", .boolean) }
            }
        }
        migrator.registerMigration("v4: slot counts") { db in
            try db.create(table: "slot_counts", options: [.ifNotExists]) { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("subject", .text).notNull()
                t.column("condition", .text).notNull()
                t.column("probe", .text).notNull()
                t.column("answers", .integer).notNull()
                t.column("empty", .integer).notNull()
                t.column("scored", .integer).notNull()
                t.column("unscored", .integer).notNull()
                t.column("incoherent", .integer).notNull()
                t.column("counted", .integer).notNull()
                t.primaryKey(["run_id", "subject", "condition", "probe"])
            }
        }
        migrator.registerMigration("v5: run process") { db in
            let columns = try db.columns(in: "runs").map(\.name)
            if !columns.contains("pid") { try db.alter(table: "runs") { t in t.add(column: "pid", .integer) } }
            if !columns.contains("host") { try db.alter(table: "runs") { t in t.add(column: "host", .text) } }
        }
        migrator.registerMigration("v6: run documents") { db in
            try db.create(table: "run_documents", options: [.ifNotExists]) { t in
                t.column("run_id", .text).primaryKey().references("runs", onDelete: .cascade)
                t.column("document", .blob).notNull()
            }
        }
        migrator.registerMigration("v7: batch requests") { db in
            // What each exported batch line stands for: the cache keys its answers go to.
            try db.create(table: "batch_requests", options: [.ifNotExists]) { t in
                t.column("custom_id", .text).primaryKey()
                t.column("kind", .text).notNull()
                t.column("provider", .text).notNull()
                t.column("keys", .text).notNull()
            }
            // Endpoints that answered a request for n samples with fewer (batch imports learn it).
            try db.create(table: "endpoint_facts", options: [.ifNotExists]) { t in
                t.column("provider", .text).primaryKey()
                t.column("ignores_n", .boolean).notNull()
            }
        }
        return migrator
    }

    /// The cached answer for `key`, if any.
    package func cachedAnswer(_ key: String) throws -> String? {
        try pool.read { db in try ResponseRow.fetchOne(db, key: key).map { String(decoding: $0.answer, as: UTF8.self) } }
    }

    /// One read for many keys: a read per key cost more than the request it saved. Keys are
    /// looked up through one prepared statement of `IN` lists of up to 500 keys.
    package func cachedAnswers(_ keys: [String]) throws -> [String: String] {
        guard keys.count >= 4_096 else { return try cachedAnswers(keys[...]) }
        // A large plan is looked up on two reader connections at once (WAL lets reads run side
        // by side): the look-up is a serial step before a run's first request.
        let half = keys.count / 2
        let parts = [keys[..<half], keys[half...]]
        let found = Mutex<[Result<[String: String], any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: parts.count) { part in
            let result = Result { try cachedAnswers(parts[part]) }
            found.withLock { $0.append(result) }
        }
        var answers: [String: String] = [:]
        for result in found.withLock({ $0 }) { answers.merge(try result.get()) { first, _ in first } }
        return answers
    }

    private func cachedAnswers(_ keys: ArraySlice<String>) throws -> [String: String] {
        guard !keys.isEmpty else { return [:] }
        return try pool.read { db in
            var answers: [String: String] = [:]
            var start = keys.startIndex
            while start < keys.endIndex {
                let chunk = keys[start..<min(start + 500, keys.endIndex)]
                let statement = BoundStatement(try db.cachedStatement(
                    sql: "SELECT key, answer FROM responses WHERE key IN (" + repeatElement("?", count: chunk.count).joined(separator: ",") + ")"))
                statement.reset()
                for (offset, key) in chunk.enumerated() { try statement.bind(Int32(offset + 1), key) }
                try statement.forEachRow { row in answers[row.string(0)] = row.string(1) }
                start += chunk.count
            }
            return answers
        }
    }

    /// Stores an answer the moment it arrives, so a killed run loses nothing and
    /// a rerun asks nothing twice. The key is unique: a second answer for the
    /// same key is ignored, never duplicated.
    package func storeAnswer(_ answer: String, key: String, provider: String) throws {
        try storeAnswer(answer, key: key, provider: provider, at: Date())
    }

    /// Stores an answer with an explicit time (for tests of pruning).
    package func storeAnswer(_ answer: String, key: String, provider: String, at date: Date) throws {
        try storeAnswers([CachedAnswer(key: key, answer: answer, provider: provider)], at: date)
    }

    /// Stores answers that arrived together in one transaction (the collector's writer
    /// commits what queued while its last commit ran).
    package func storeAnswers(_ answers: [CachedAnswer]) throws {
        try storeAnswers(answers, at: Date())
    }

    private func storeAnswers(_ answers: [CachedAnswer], at date: Date) throws {
        guard !answers.isEmpty else { return }
        let created = date.formatted(.iso8601)
        // One cached statement bound in place, not record inserts: this runs for every answer of a run.
        try pool.write { db in
            let insert = BoundStatement(try db.cachedStatement(sql: "INSERT OR IGNORE INTO responses (key, provider, answer, created_at) VALUES (?, ?, ?, ?)"))
            for answer in answers {
                insert.reset()
                try insert.bind(1, answer.key)
                try insert.bind(2, answer.provider)
                try insert.bindBytes(3, answer.answer)
                try insert.bind(4, created)
                try insert.execute()
            }
        }
    }

    /// Cached answers per provider identity.
    package func cacheStats() throws -> [(provider: String, answers: Int, oldest: String, newest: String)] {
        // An aggregate, not a record: plain SQL says it best.
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT provider, COUNT(*) AS n, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM responses GROUP BY provider ORDER BY provider")
                .map { ($0["provider"], $0["n"], $0["oldest"], $0["newest"]) }
        }
    }

    /// Deletes cached answers older than `date` (all when nil); returns how many.
    @discardableResult
    package func pruneCache(before date: Date?) throws -> Int {
        try pool.write { db in
            if let date {
                return try ResponseRow.filter(Column("created_at") < date.formatted(.iso8601)).deleteAll(db)
            }
            return try ResponseRow.deleteAll(db)
        }
    }

    package func beginRun(id: String, suite: Suite, gitCommit: String?, at date: Date = Date()) throws {
        try checkIntact()
        let host = ProcessInfo.processInfo.hostName
        try pool.write { db in
            // Runs whose process died (kill -9, a crash) are not running any more: say so.
            for var stale in try RunRecord.filter(Column("status") == RunStatus.running.rawValue).fetchAll(db)
            where !Self.isAlive(pid: stale.pid, host: stale.host, here: host) {
                stale.status = .interrupted
                stale.detail = "its process ended without finishing the run"
                try stale.update(db)
            }
            try RunRecord(
                id: id, suite: suite.name, suiteFile: suite.file, startedAt: date.formatted(.iso8601),
                finishedAt: nil, gitCommit: gitCommit, status: .running, detail: nil, pid: Int(getpid()), host: host
            ).insert(db)
        }
    }

    /// Whether the process that began a run may still be running it.
    static func isAlive(pid: Int?, host: String?, here: String) -> Bool {
        guard let pid, let host else { return false }
        guard host == here else { return true }  // another machine's run: not ours to judge
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }

    /// Throws when the database file was removed or replaced since it was opened: writes
    /// would have gone to a file nobody can read, and a report would stand on nothing.
    package func checkIntact() throws {
        guard let now = Self.identity(path), now == identity else { throw StoreError.vanished(path) }
    }

    /// Device and inode of a file, or nil when it does not exist.
    static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// Saves a run's samples in one transaction. A bulk path: one prepared statement bound
    /// in place rather than a record per row (a run stores every sample it scores; records
    /// are read back as ``SampleRow``).
    package func save(samples: [SampleRecord], runID: String) throws {
        try pool.write { db in
            let insert = BoundStatement(try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO samples (run_id, subject, condition, probe, item_id, sample_index, answer, outcome, alignment, coherence, insecure, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """))
            for s in samples {
                insert.reset()
                try insert.bind(1, runID)
                try insert.bind(2, s.subject)
                try insert.bind(3, s.condition)
                try insert.bind(4, s.probe)
                try insert.bind(5, s.itemID)
                try insert.bind(6, s.sampleIndex)
                try insert.bindBytes(7, s.answer)
                try insert.bind(8, s.score.code?.rawValue)
                try insert.bind(9, s.score.alignment)
                try insert.bind(10, s.score.coherence)
                try insert.bind(11, s.score.insecure)
                try insert.bind(12, s.score.detail)
                try insert.execute()
            }
        }
    }

    package func save(measures: [MeasureResult], runID: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try pool.write { db in
            for m in measures {
                try MeasureRow(
                    runId: runID, subject: m.key.subject, condition: m.key.condition, measure: m.key.measure, value: m.estimate?.value,
                    lower: m.estimate?.interval.lower, upper: m.estimate?.interval.upper, items: m.outcomes.itemCount,
                    result: try MeasureJSON.encode(m, encoder: encoder)
                ).insert(db)
            }
        }
    }

    /// Saves the counts behind every slot's rates.
    package func save(counts: [SlotCounts], runID: String) throws {
        try pool.write { db in
            for c in counts { try SlotCountRow(c, runID: runID).insert(db) }
        }
    }

    /// The counts of a run's slots.
    package func counts(runID: String) throws -> [SlotCounts] {
        try pool.read { db in try SlotCountRow.filter(Column("run_id") == runID).fetchAll(db).map(\.counts) }
    }

    /// Ends a run; `gitCommit`, when given, is recorded now (a run asks git while it begins).
    package func finishRun(id: String, status: RunStatus, detail: String? = nil, gitCommit: String? = nil, at date: Date = Date()) throws {
        try pool.write { db in
            guard var run = try RunRecord.fetchOne(db, key: id) else { throw StoreError.noSuchRun(id) }
            run.finishedAt = date.formatted(.iso8601)
            run.status = status
            run.detail = detail
            if let gitCommit { run.gitCommit = gitCommit }
            try run.update(db)
        }
    }

    /// Runs that are no longer running, newest first, optionally of one suite.
    package func runs(suite: String? = nil) throws -> [RunRecord] {
        try pool.read { db in
            var request = RunRecord.filter(Column("status") != RunStatus.running.rawValue)
            if let suite { request = request.filter(Column("suite") == suite) }
            return try request.order(Column("started_at").desc, Column.rowID.desc).fetchAll(db)
        }
    }

    /// The newest finished run, optionally of one suite.
    package func latestFinishedRun(suite: String? = nil) throws -> RunRecord? {
        try runs(suite: suite).first { $0.status == .finished }
    }

    /// The measures of a run, in key order.
    package func measures(runID: String) throws -> [MeasureResult] {
        let decoder = JSONDecoder()
        return try pool.read { db in
            guard try RunRecord.exists(db, key: runID) else { throw StoreError.noSuchRun(runID) }
            return try MeasureRow.filter(Column("run_id") == runID).order(Column("subject"), Column("condition"), Column("measure"))
                .fetchAll(db).map { try decoder.decode(MeasureResult.self, from: $0.result) }
        }
    }

    /// Remembers exported batch lines: custom id → kind, provider and the cache keys of its answers.
    package func saveBatchRequests(_ lines: [BatchRequestRecord]) throws {
        try pool.write { db in
            for line in lines {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO batch_requests (custom_id, kind, provider, keys) VALUES (?, ?, ?, ?)",
                    arguments: [line.customID, line.kind.rawValue, line.provider, line.keys.joined(separator: ",")])
            }
        }
    }

    /// An exported batch line, by its custom id.
    package func batchRequest(_ customID: String) throws -> BatchRequestRecord? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT kind, provider, keys FROM batch_requests WHERE custom_id = ?", arguments: [customID]),
                  let kind = BatchRequestRecord.Kind(rawValue: row["kind"]) else { return nil }
            let keys: String = row["keys"]
            return BatchRequestRecord(customID: customID, kind: kind, provider: row["provider"], keys: keys.split(separator: ",").map(String.init))
        }
    }

    /// Notes that `provider` answered a request for several samples with fewer.
    package func noteIgnoresN(_ provider: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO endpoint_facts (provider, ignores_n) VALUES (?, 1)", arguments: [provider])
        }
    }

    package func ignoresN(_ provider: String) throws -> Bool {
        try pool.read { db in try Bool.fetchOne(db, sql: "SELECT ignores_n FROM endpoint_facts WHERE provider = ?", arguments: [provider]) ?? false }
    }

    /// Keeps the run's document (``RunDocument``), so its reports can be rendered later.
    package func save(document: RunDocument) throws {
        let data = try document.json()
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO run_documents (run_id, document) VALUES (?, ?)", arguments: [document.run.id, data])
        }
    }

    /// The document of a run, if one was kept.
    package func document(runID: String) throws -> RunDocument? {
        let data = try pool.read { db in try Data.fetchOne(db, sql: "SELECT document FROM run_documents WHERE run_id = ?", arguments: [runID]) }
        return try data.map(RunDocument.decode)
    }

    /// Calls `body` with each stored sample of run `runID`, in slot, item and sample order,
    /// reading them from the database one at a time.
    func forEachSample(runID: String, _ body: (SampleRow) throws -> Void) throws {
        try pool.read { db in
            let rows = try SampleRow.filter(Column("run_id") == runID)
                .order(Column("subject"), Column("condition"), Column("probe"), Column("item_id"), Column("sample_index"))
                .fetchCursor(db)
            while let row = try rows.next() { try body(row) }
        }
    }

    package func sampleCount(runID: String) throws -> Int {
        try pool.read { db in try SampleRow.filter(Column("run_id") == runID).fetchCount(db) }
    }
}
