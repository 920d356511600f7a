import Foundation
import GRDB

/// The committed baselines: `Baselines/baselines.sqlite`, with a text dump
/// beside it (`baselines.txt`) rewritten on every change so reviews show diffs.
///
/// Uses a rollback journal (not WAL) so the committed file is always complete.
package final class BaselineStore: Sendable {
    package let path: String
    private let queue: DatabaseQueue

    /// Opens (creating and migrating if needed) the store at `path`.
    package init(path: String) throws {
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
    package func baseline(for key: MeasureKey) throws -> StoredBaseline? {
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
    package func all(suite: String? = nil) throws -> [StoredBaseline] {
        try queue.read { db in try Self.all(db, suite: suite) }
    }

    /// Every baseline of `suite`, by key.
    package func accepted(suite: String) throws -> [MeasureKey: StoredBaseline] {
        Dictionary(try all(suite: suite).map { ($0.record.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Accepts `measure` as the baseline of its key (replacing any previous one)
    /// and logs the change. Measures with no estimate cannot be accepted.
    @discardableResult
    package func record(_ measure: MeasureResult, runID: String, gitCommit: String?, reason: String, at date: Date = Date()) throws -> BaselineRecord {
        try record([measure], runID: runID, gitCommit: gitCommit, reason: reason, at: date).recorded[0]
    }

    /// Accepts several measures in one transaction: all or none. The text dump is rewritten
    /// inside the same transaction (a failed write undoes the change), so the two can only
    /// disagree after a crash between the dump's rename and the commit — which
    /// ``dumpIsCurrent()`` notices at the next door.
    ///
    /// `ifAbsent` holds keys to record only if no baseline exists for them *now*
    /// (compare-and-set): a baseline another run recorded after this run began is kept
    /// and returned in `appeared`, to be compared with rather than replaced.
    @discardableResult
    package func record(
        _ measures: [MeasureResult], runID: String, gitCommit: String?, reason: String, ifAbsent: Set<MeasureKey> = [], at date: Date = Date()
    ) throws -> (recorded: [BaselineRecord], appeared: [MeasureKey]) {
        for measure in measures where measure.estimate == nil { throw StoreError.nothingToRecord(measure.key) }
        let stamp = date.formatted(.iso8601)
        do {
            return try recordAll(measures, runID: runID, gitCommit: gitCommit, reason: reason, ifAbsent: ifAbsent, stamp: stamp)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path, reason: DatabaseFile.explain(error, path: path))
        }
    }

    private func recordAll(
        _ measures: [MeasureResult], runID: String, gitCommit: String?, reason: String, ifAbsent: Set<MeasureKey>, stamp: String
    ) throws -> (recorded: [BaselineRecord], appeared: [MeasureKey]) {
        try queue.write { db in
            var recorded: [BaselineRecord] = [], appeared: [MeasureKey] = []
            for measure in measures {
                if ifAbsent.contains(measure.key), try Self.record(of: measure.key, db) != nil {
                    appeared.append(measure.key)
                    continue
                }
                recorded.append(try Self.insert(measure, db, runID: runID, gitCommit: gitCommit, reason: reason, stamp: stamp))
            }
            if !recorded.isEmpty { try self.writeDump(try Self.all(db, suite: nil)) }
            return (recorded, appeared)
        }
    }

    private static func record(of key: MeasureKey, _ db: Database) throws -> BaselineRecord? {
        try BaselineRecord
            .filter(Column("suite") == key.suite && Column("subject") == key.subject
                && Column("condition") == key.condition && Column("measure") == key.measure)
            .fetchOne(db)
    }

    private static func all(_ db: Database, suite: String?) throws -> [StoredBaseline] {
        var request = BaselineRecord.order(Column("suite"), Column("subject"), Column("condition"), Column("measure"))
        if let suite { request = request.filter(Column("suite") == suite) }
        return try request.fetchAll(db).map { StoredBaseline(record: $0, outcomes: try items(db, $0.id!)) }
    }

    private static func insert(_ measure: MeasureResult, _ db: Database, runID: String, gitCommit: String?, reason: String, stamp: String) throws -> BaselineRecord {
        let estimate = measure.estimate!
        let key = measure.key
        let previous = try record(of: key, db)
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
    package func history(suite: String? = nil, limit: Int = 200) throws -> [BaselineHistoryRecord] {
        try queue.read { db in
            var request = BaselineHistoryRecord.order(Column("id").desc).limit(limit)
            if let suite { request = request.filter(Column("suite") == suite) }
            return try request.fetchAll(db)
        }
    }

    /// The text dump beside the database (`baselines.txt`).
    package var dumpPath: String { (path as NSString).deletingPathExtension + ".txt" }

    /// Rewrites the text dump from the database.
    package func writeDump() throws {
        try writeDump(try all())
    }

    /// Whether the dump says exactly what the database holds (nil: it does; else why not).
    package func dumpMismatch() throws -> String? {
        let expected = BaselineDump.render(try all())
        guard let data = FileManager.default.contents(atPath: dumpPath) else {
            return "\(dumpPath) is missing or unreadable while \(path) holds baselines"
        }
        let found = String(decoding: data, as: UTF8.self)
        guard found != expected else { return nil }
        let a = found.split(separator: "\n", omittingEmptySubsequences: false), b = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let differing = zip(a, b).filter { $0 != $1 }.count + abs(a.count - b.count)
        return "\(dumpPath) does not match \(path): \(differing) line\(differing == 1 ? "" : "s") differ (the dump was not rewritten after a change — an interrupted accept?)"
    }

    /// Writes the dump beside the database: a temporary file in the same folder renamed over
    /// it, so a reader sees the old dump or the new one, never half of one.
    private func writeDump(_ baselines: [StoredBaseline]) throws {
        let temporary = dumpPath + ".\(getpid()).tmp"
        do {
            try Data(BaselineDump.render(baselines).utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw StoreError.dump(dumpPath, reason: "cannot write it: \(error.localizedDescription); the baselines were left as they were")
        }
        guard rename(temporary, dumpPath) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError.dump(dumpPath, reason: "cannot replace it: \(reason); the baselines were left as they were")
        }
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
package enum StoreError: Error, Sendable, CustomStringConvertible {
    case nothingToRecord(MeasureKey)
    case noSuchRun(String)
    case noRuns
    case cannotOpen(String, reason: String)
    case vanished(String)
    case noDocument(String)
    /// The text dump beside the baselines could not be written.
    case dump(String, reason: String)
    /// The dump and the database disagree, and this door may not rewrite it (CI).
    case dumpOutOfDate(String)

    package var description: String {
        switch self {
        case .nothingToRecord(let key): return "\(key) has no value (no countable samples), so it cannot become a baseline"
        case .noSuchRun(let id): return "no run '\(id)' in the runs database"
        case .noRuns: return "the runs database has no finished run; run a suite first"
        case .noDocument(let id): return "run '\(id)' was stored by an older ipgate, which kept no report document; run the suite again"
        case .cannotOpen(let path, let reason): return "cannot open the database \(path): \(reason)"
        case .dump(let path, let reason): return "the baseline dump \(path): \(reason)"
        case .dumpOutOfDate(let why):
            return "\(why). A reviewer reading the dump would see other numbers than the gate uses; run `ipgate baseline dump` on a developer's machine and commit Baselines/"
        case .vanished(let path):
            return "the runs database \(path) was removed or replaced while the run was going: this run's answers and scores went with it, so no verdict is given; run again"
        }
    }
}
