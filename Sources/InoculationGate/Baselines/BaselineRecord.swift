import Foundation
import GRDB

/// One accepted measure, a row of `baseline_measures`.
public struct BaselineRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "baseline_measures"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: Int64?
    public var suite: String
    public var subject: String
    public var condition: String
    public var measure: String
    public var metric: MeasureSpec.Metric
    public var better: MeasureSpec.Direction
    public var value: Double
    /// Items (clusters) behind the value.
    public var n: Int
    public var trials: Double
    public var lower: Double
    public var upper: Double
    public var suiteHash: String
    public var probeDataHash: String
    public var scorerVersion: String
    public var runId: String
    public var recordedAt: String
    public var gitCommit: String?
    /// The fingerprint's named fields as JSON (nil for baselines taken before they were kept).
    public var suiteFields: String?

    public var key: MeasureKey { MeasureKey(suite: suite, subject: subject, condition: condition, measure: measure) }
    public var fingerprint: Fingerprint {
        var fingerprint = Fingerprint(suiteHash: suiteHash, probeDataHash: probeDataHash, scorerVersion: scorerVersion)
        fingerprint.fields = suiteFields.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        return fingerprint
    }

    static func encodeFields(_ fields: [String: String]?) -> String? {
        guard let fields else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(fields)).map { String(decoding: $0, as: UTF8.self) }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One item's outcomes behind an accepted measure, a row of `baseline_items`.
struct BaselineItemRecord: Sendable, Hashable, SnakeCaseRecord {
    static let databaseTableName = "baseline_items"

    var measureId: Int64
    var itemId: String
    var successes: Double
    var trials: Double
}

extension MeasureSpec.Metric: DatabaseValueConvertible {}
extension MeasureSpec.Direction: DatabaseValueConvertible {}

/// A baseline row with its per-item outcomes.
public struct StoredBaseline: Sendable, Hashable {
    public var record: BaselineRecord
    public var outcomes: ItemOutcomes
}

/// One accepted change, kept for `ipgate baseline history`.
public struct BaselineHistoryRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "baseline_history"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: Int64?
    public var suite: String
    public var subject: String
    public var condition: String
    public var measure: String
    public var previousValue: Double?
    public var value: Double
    public var runId: String
    public var recordedAt: String
    public var gitCommit: String?
    /// Why it was recorded: `missing`, `failed`, `all`, `accept`.
    public var reason: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
