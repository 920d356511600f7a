import Foundation
import GRDB

/// The committed baselines: `Baselines/baselines.sqlite`, with a text dump
/// beside it (`baselines.txt`) rewritten on every change so reviews show diffs.
///
/// Uses a rollback journal (not WAL) so the committed file is always complete.
public final class BaselineStore: Sendable {
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (creating and migrating if needed) the store at `path`.
    public init(path: String) throws {
        self.path = path
        queue = try DatabaseFile.open(path, migrator: Self.migrator) { try DatabaseQueue(path: $0, configuration: $1) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: baselines") { db in
            try db.create(table: "baseline_measures", options: [.ifNotExists]) { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("suite", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("condition", .text).notNull()
                t.column("measure", .text).notNull()
                t.column("metric", .text).notNull()
                t.column("better", .text).notNull()
                t.column("value", .double).notNull()
                t.column("n", .integer).notNull()
                t.column("trials", .double).notNull()
                t.column("lower", .double).notNull()
                t.column("upper", .double).notNull()
                t.column("suite_hash", .text).notNull()
                t.column("probe_data_hash", .text).notNull()
                t.column("scorer_version", .text).notNull()
                t.column("run_id", .text).notNull()
                t.column("recorded_at", .text).notNull()
                t.column("git_commit", .text)
                t.uniqueKey(["suite", "subject", "condition", "measure"])
            }
            try db.create(table: "baseline_items", options: [.ifNotExists]) { t in
                t.column("measure_id", .integer).notNull().references("baseline_measures", onDelete: .cascade)
                t.column("item_id", .text).notNull()
                t.column("successes", .double).notNull()
                t.column("trials", .double).notNull()
                t.primaryKey(["measure_id", "item_id"])
            }
            try db.create(table: "baseline_history", options: [.ifNotExists]) { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("suite", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("condition", .text).notNull()
                t.column("measure", .text).notNull()
                t.column("previous_value", .double)
                t.column("value", .double).notNull()
                t.column("run_id", .text).notNull()
                t.column("recorded_at", .text).notNull()
                t.column("git_commit", .text)
                t.column("reason", .text).notNull()
            }
        }
        migrator.registerMigration("v2: named fingerprint fields") { db in
            try db.alter(table: "baseline_measures") { t in t.add(column: "suite_fields", .text) }
        }
        return migrator
    }

    /// The baseline of one measure, if accepted.
    public func baseline(for key: MeasureKey) throws -> StoredBaseline? {
        try queue.read { db in
            guard let record = try BaselineRecord
                .filter(Column("suite") == key.suite && Column("subject") == key.subject
                    && Column("condition") == key.condition && Column("measure") == key.measure)
                .fetchOne(db)
            else { return nil }
            return StoredBaseline(record: record, outcomes: try Self.items(db, record.id!))
        }
    }

    /// Every baseline, optionally of one suite, in key order.
    public func all(suite: String? = nil) throws -> [StoredBaseline] {
        try queue.read { db in
            var request = BaselineRecord.order(Column("suite"), Column("subject"), Column("condition"), Column("measure"))
            if let suite { request = request.filter(Column("suite") == suite) }
            return try request.fetchAll(db).map { StoredBaseline(record: $0, outcomes: try Self.items(db, $0.id!)) }
        }
    }

    /// Every baseline of `suite`, by key.
    public func accepted(suite: String) throws -> [MeasureKey: StoredBaseline] {
        Dictionary(try all(suite: suite).map { ($0.record.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Accepts `measure` as the baseline of its key (replacing any previous one)
    /// and logs the change. Measures with no estimate cannot be accepted.
    @discardableResult
    public func record(_ measure: MeasureResult, runID: String, gitCommit: String?, reason: String, at date: Date = Date()) throws -> BaselineRecord {
        try record([measure], runID: runID, gitCommit: gitCommit, reason: reason, at: date)[0]
    }

    /// Accepts several measures in one transaction: all or none.
    @discardableResult
    public func record(_ measures: [MeasureResult], runID: String, gitCommit: String?, reason: String, at date: Date = Date()) throws -> [BaselineRecord] {
        for measure in measures where measure.estimate == nil { throw StoreError.nothingToRecord(measure.key) }
        let stamp = ISO8601DateFormatter().string(from: date)
        return try queue.write { db in
            try measures.map { try Self.insert($0, db, runID: runID, gitCommit: gitCommit, reason: reason, stamp: stamp) }
        }
    }

    private static func insert(_ measure: MeasureResult, _ db: Database, runID: String, gitCommit: String?, reason: String, stamp: String) throws -> BaselineRecord {
        let estimate = measure.estimate!
        let key = measure.key
        let previous = try BaselineRecord
            .filter(Column("suite") == key.suite && Column("subject") == key.subject
                && Column("condition") == key.condition && Column("measure") == key.measure)
            .fetchOne(db)
        if let previous { try previous.delete(db) }
        var record = BaselineRecord(
            id: nil, suite: key.suite, subject: key.subject, condition: key.condition, measure: key.measure,
            metric: measure.spec.metric, better: measure.spec.better, value: estimate.value, n: estimate.items,
            trials: estimate.trials, lower: estimate.interval.lower, upper: estimate.interval.upper,
            suiteHash: measure.fingerprint.suiteHash, probeDataHash: measure.fingerprint.probeDataHash,
            scorerVersion: measure.fingerprint.scorerVersion, runId: runID, recordedAt: stamp, gitCommit: gitCommit,
            suiteFields: BaselineRecord.encodeFields(measure.fingerprint.fields))
        try record.insert(db)
        for id in measure.outcomes.itemIDs {
            let counts = measure.outcomes[id]!
            try BaselineItemRecord(measureId: record.id!, itemId: id, successes: counts.successes, trials: counts.trials).insert(db)
        }
        var history = BaselineHistoryRecord(
            id: nil, suite: key.suite, subject: key.subject, condition: key.condition, measure: key.measure,
            previousValue: previous?.value, value: estimate.value, runId: runID, recordedAt: stamp,
            gitCommit: gitCommit, reason: reason)
        try history.insert(db)
        return record
    }

    /// Accepted changes, newest first.
    public func history(suite: String? = nil, limit: Int = 200) throws -> [BaselineHistoryRecord] {
        try queue.read { db in
            var request = BaselineHistoryRecord.order(Column("id").desc).limit(limit)
            if let suite { request = request.filter(Column("suite") == suite) }
            return try request.fetchAll(db)
        }
    }

    /// Rewrites the text dump beside the database.
    public func writeDump() throws {
        let dumpPath = (path as NSString).deletingPathExtension + ".txt"
        try BaselineDump.render(try all()).write(toFile: dumpPath, atomically: true, encoding: .utf8)
    }

    private static func items(_ db: Database, _ id: Int64) throws -> ItemOutcomes {
        var outcomes = ItemOutcomes()
        for item in try BaselineItemRecord.filter(Column("measure_id") == id).fetchAll(db) {
            outcomes.add(item: item.itemId, successes: item.successes, trials: item.trials)
        }
        return outcomes
    }
}

/// A store operation that cannot be done.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case nothingToRecord(MeasureKey)
    case noSuchRun(String)
    case noRuns
    case cannotOpen(String, reason: String)
    case vanished(String)
    case noDocument(String)

    public var description: String {
        switch self {
        case .nothingToRecord(let key): return "\(key) has no value (no countable samples), so it cannot become a baseline"
        case .noSuchRun(let id): return "no run '\(id)' in the runs database"
        case .noRuns: return "the runs database has no finished run; run a suite first"
        case .noDocument(let id): return "run '\(id)' was stored by an older ipgate, which kept no report document; run the suite again"
        case .cannotOpen(let path, let reason): return "cannot open the database \(path): \(reason)"
        case .vanished(let path):
            return "the runs database \(path) was removed or replaced while the run was going: this run's answers and scores went with it, so no verdict is given; run again"
        }
    }
}
