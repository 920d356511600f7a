import Foundation
import GRDB

/// Internal records whose columns are the snake_case of their properties.
protocol SnakeCaseRecord: Codable, FetchableRecord, PersistableRecord {}

extension SnakeCaseRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

/// How a run ended (or that it has not).
package enum RunStatus: String, Sendable, Hashable, Codable, DatabaseValueConvertible {
    case running
    case finished
    case failed
    /// Its process ended without finishing it (killed); marked by the next run.
    case interrupted
}

/// One run, a row of `runs`.
package struct RunRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "runs"
    package static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    package static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    package var id: String
    package var suite: String
    package var suiteFile: String
    package var startedAt: String
    package var finishedAt: String?
    package var gitCommit: String?
    package var status: RunStatus
    /// Why a failed run failed.
    package var detail: String?
    /// The process that runs it, on `host`: how the next run tells a dead run from a live one.
    package var pid: Int?
    package var host: String?
}

/// One scored answer of a run, a row of `samples`.
struct SampleRow: SnakeCaseRecord {
    static let databaseTableName = "samples"
    static let persistenceConflictPolicy = PersistenceConflictPolicy(insert: .replace, update: .replace)

    var runId: String
    var subject: String
    var condition: String
    var probe: String
    var itemId: String
    var sampleIndex: Int
    /// Bytes, not text: SQLite's C-string text interface stops at the first NUL, and an
    /// answer must come back from the store exactly as it arrived.
    var answer: Data
    var outcome: CodeOutcome?
    var alignment: Double?
    var coherence: Double?
    var insecure: Bool?
    var detail: String

    init(_ s: SampleRecord, runID: String) {
        runId = runID
        subject = s.subject
        condition = s.condition
        probe = s.probe
        itemId = s.itemID
        sampleIndex = s.sampleIndex
        answer = Data(s.answer.utf8)
        outcome = s.score.code
        alignment = s.score.alignment
        coherence = s.score.coherence
        insecure = s.score.insecure
        detail = s.score.detail
    }
}

/// One measure of a run, a row of `measures`; `result` holds the whole
/// ``MeasureResult`` (per-item outcomes and fingerprint) as JSON.
struct MeasureRow: SnakeCaseRecord {
    static let databaseTableName = "measures"
    static let persistenceConflictPolicy = PersistenceConflictPolicy(insert: .replace, update: .replace)

    var runId: String
    var subject: String
    var condition: String
    var measure: String
    var value: Double?
    var lower: Double?
    var upper: Double?
    var items: Int
    var result: Data
}

/// The counts behind one slot's rates, a row of `slot_counts`.
struct SlotCountRow: SnakeCaseRecord {
    static let databaseTableName = "slot_counts"
    static let persistenceConflictPolicy = PersistenceConflictPolicy(insert: .replace, update: .replace)

    var runId: String
    var subject: String
    var condition: String
    var probe: String
    var answers: Int
    var empty: Int
    var scored: Int
    var unscored: Int
    var incoherent: Int
    var counted: Int

    init(_ c: SlotCounts, runID: String) {
        runId = runID
        subject = c.slot.subject
        condition = c.slot.condition
        probe = c.slot.probe
        answers = c.answers
        empty = c.empty
        scored = c.scored
        unscored = c.unscored
        incoherent = c.incoherent
        counted = c.counted
    }

    var counts: SlotCounts {
        var c = SlotCounts(slot: Slot(subject: subject, condition: condition, probe: probe))
        c.answers = answers
        c.empty = empty
        c.scored = scored
        c.unscored = unscored
        c.incoherent = incoherent
        c.counted = counted
        return c
    }
}

/// One cached answer (or judge verdict), a row of `responses`.
struct ResponseRow: SnakeCaseRecord {
    static let databaseTableName = "responses"
    static let persistenceConflictPolicy = PersistenceConflictPolicy(insert: .ignore)

    var key: String
    var provider: String
    /// Bytes, as in ``SampleRow``: a NUL in an answer must survive the cache.
    var answer: Data
    var createdAt: String
}

extension CodeOutcome: DatabaseValueConvertible {}
