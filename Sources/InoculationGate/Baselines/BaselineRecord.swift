import Foundation
import GRDB

/// One accepted measure, a row of `baseline_measures`.
package struct BaselineRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "baseline_measures"
    package static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    package static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    package var id: Int64?
    package var suite: String
    package var subject: String
    package var condition: String
    package var measure: String
    package var metric: MeasureSpec.Metric
    package var better: MeasureSpec.Direction
    package var value: Double
    /// Items (clusters) behind the value.
    package var n: Int
    package var trials: Double
    package var lower: Double
    package var upper: Double
    package var suiteHash: String
    package var probeDataHash: String
    package var scorerVersion: String
    package var runId: String
    package var recordedAt: String
    package var gitCommit: String?
    /// The fingerprint's named fields as JSON (nil for baselines taken before they were kept).
    package var suiteFields: String?

    package var key: MeasureKey { MeasureKey(suite: suite, subject: subject, condition: condition, measure: measure) }
    package var fingerprint: Fingerprint {
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

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
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
package struct StoredBaseline: Sendable, Hashable {
    package var record: BaselineRecord
    package var outcomes: ItemOutcomes
}

/// One accepted change, kept for `ipgate baseline history`.
package struct BaselineHistoryRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "baseline_history"
    package static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    package static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    package var id: Int64?
    package var suite: String
    package var subject: String
    package var condition: String
    package var measure: String
    package var previousValue: Double?
    package var value: Double
    package var runId: String
    package var recordedAt: String
    package var gitCommit: String?
    /// Why it was recorded: `missing`, `failed`, `all`, `accept`.
    package var reason: String

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
