import Foundation

/// Where a run's scored samples go as they arrive: counted into measures and slot
/// counts, kept as the ``SampleKeeper`` says, and stored as they come by a
/// ``SampleWriter`` (while the run's later answers are still being asked and scored).
struct SampleSink: Sendable {
    var aggregator: MeasureAggregator
    var tally: SlotCounts.Tally
    var keeper: SampleKeeper
    /// Stores samples beside the scoring (nil without a store).
    private let writer: SampleWriter?
    /// Seconds spent storing samples as they arrived, known after ``finish()``.
    private(set) var storing = 0.0

    init(aggregator: MeasureAggregator, tally: SlotCounts.Tally, keeper: SampleKeeper, store: RunStore?, runID: String) {
        self.aggregator = aggregator
        self.tally = tally
        self.keeper = keeper
        writer = store.map { SampleWriter(store: $0, runID: runID) }
    }

    mutating func add(_ records: [SampleRecord]) throws {
        aggregator.add(records)
        tally.add(records)
        keeper.add(records)
        try writer?.store(records)
    }

    /// Waits until every sample added is stored; throws if one could not be.
    mutating func finish() async throws {
        storing += try await writer?.flush() ?? 0
    }
}
