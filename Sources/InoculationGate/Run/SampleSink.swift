/// Where a run's scored samples go as they arrive: counted into measures and slot
/// counts, kept as the ``SampleKeeper`` says, and — when the run streams — stored at
/// once (a run that keeps every sample stores them with the rest at its end).
struct SampleSink: Sendable {
    var aggregator: MeasureAggregator
    var tally: SlotCounts.Tally
    var keeper: SampleKeeper
    let store: RunStore?
    let runID: String

    mutating func add(_ records: [SampleRecord]) throws {
        aggregator.add(records)
        tally.add(records)
        keeper.add(records)
        if !keeper.keepsAll { try store?.save(samples: records, runID: runID) }
    }
}
