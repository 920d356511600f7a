/// Stores a run's scored samples on a thread of its own, so storing one batch runs beside
/// scoring the next. Most of all at a run's end: the backlog that built up while the
/// requests had the cores is scored on one core and stored on the other, not one after the
/// other (storing a sample, ~5 µs, costs more than judging it).
///
/// The thread is in the idle class like the scoring thread: samples are the run's own record,
/// rebuilt from the answer cache if the run is killed, so they never need to go ahead of a
/// request. At most ``limit`` samples wait: beyond that, storing waits for the thread, so a
/// run's memory stays flat however far storing falls behind.
typealias SampleWriter = BatchWriter<SampleRecord>

extension BatchWriter where Item == SampleRecord {
    /// Samples that may wait for storing before the producer waits too.
    static var limit: Int { 4_096 }

    convenience init(store: RunStore, runID: String) {
        self.init(policy: Policy(delay: 0, niceness: nil, limit: Self.limit)) { try store.save(samples: $0, runID: runID) }
    }
}
