import Foundation

/// A measure as the runs database stores it: `JSONEncoder`'s sorted-key JSON, except that
/// the per-item counts — nearly all of a large measure's bytes — are written directly. The
/// encoder's generic walk over 5,000 items took longer than the run's statistics, in the
/// serial tail of every run. What is stored decodes to the same measure (a test holds it).
enum MeasureJSON {
    /// The stored bytes of `measure`, with `encoder` (sorted keys) writing everything but the counts.
    static func encode(_ measure: MeasureResult, encoder: JSONEncoder) throws -> Data {
        let outcomes = measure.outcomes
        // Non-finite counts are the encoder's to refuse, with its own error.
        guard outcomes.itemCount > 0, outcomes.counts.values.allSatisfy({ $0.successes.isFinite && $0.trials.isFinite }) else {
            return try encoder.encode(measure)
        }
        var hollow = measure
        hollow.outcomes = ItemOutcomes()
        let data = try encoder.encode(hollow)
        // Keys are sorted, so only `spec` follows the top-level `outcomes`, and its strings have
        // their quotes escaped: the last match is the top-level one.
        guard let range = data.range(of: Data(Self.emptyOutcomes.utf8), options: .backwards) else { return try encoder.encode(measure) }
        var out: [UInt8] = []
        out.reserveCapacity(data.count + outcomes.itemCount * 48)
        out.append(contentsOf: data[..<range.lowerBound])
        out.append(contentsOf: #""outcomes":{"counts":{"#.utf8)
        for (index, id) in outcomes.itemIDs.enumerated() {
            let counts = outcomes.counts[id]!
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONBytes.string(id, into: &out)
            out.append(contentsOf: #":{"successes":"#.utf8)
            JSONBytes.number(counts.successes, into: &out)
            out.append(contentsOf: #","trials":"#.utf8)
            JSONBytes.number(counts.trials, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "}}".utf8)
        out.append(contentsOf: data[range.upperBound...])
        return Data(out)
    }

    private static let emptyOutcomes = #""outcomes":{"counts":{}}"#
}
