import Foundation

/// Where a run's scored samples go as they arrive: counted into measures and slot
/// counts, kept as the ``SampleKeeper`` says, and stored at once (one transaction a batch,
/// while the run's later answers are still being asked and scored).
struct SampleSink: Sendable {
    var aggregator: MeasureAggregator
    var tally: SlotCounts.Tally
    var keeper: SampleKeeper
    let store: RunStore?
    let runID: String
    /// Seconds spent storing samples as they arrived.
    private(set) var storing = 0.0

    mutating func add(_ records: [SampleRecord]) throws {
        aggregator.add(records)
        tally.add(records)
        keeper.add(records)
        guard let store else { return }
        let clock = Date()
        try store.save(samples: records, runID: runID)
        storing += Date().timeIntervalSince(clock)
    }
}
