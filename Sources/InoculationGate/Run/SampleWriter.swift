import Foundation

/// Stores a run's scored samples on a thread of its own, so storing one batch runs beside
/// scoring the next. Most of all at a run's end: the backlog that built up while the
/// requests had the cores is scored on one core and stored on the other, not one after the
/// other (storing a sample, ~5 µs, costs more than judging it).
///
/// The thread is in the idle class like the scoring thread: samples are the run's own record,
/// rebuilt from the answer cache if the run is killed, so they never need to go ahead of a
/// request. At most ``limit`` samples wait: beyond that, ``store(_:)`` waits for the thread,
/// so a run's memory stays flat however far storing falls behind.
final class SampleWriter: Sendable {
    /// Samples that may wait for storing before the producer waits too.
    static let limit = 4_096

    private let state: State

    init(store: RunStore, runID: String) {
        let state = State(store: store, runID: runID)
        self.state = state
        // The thread holds the state, not the writer: a writer dropped without a flush (a run
        // that failed) ends its thread.
        Thread { state.run() }.start()
    }

    deinit { state.close() }

    /// Queues samples for storing; waits while ``limit`` are already waiting. Throws the
    /// error of an earlier store that failed (the run must stop: its samples cannot be kept).
    func store(_ records: [SampleRecord]) throws { try state.enqueue(records) }

    /// Stores everything queued and ends the thread; returns the seconds spent storing and
    /// throws a failed store's error. Call it once, after the last ``store(_:)``.
    func flush() async throws -> Double { try await state.flush() }

    private final class State: @unchecked Sendable {
        private let store: RunStore
        private let runID: String
        private let condition = NSCondition()
        // Guarded by `condition`:
        private var queued: [[SampleRecord]] = []
        private var waiting = 0
        private var failure: (any Error)?
        private var closed = false
        private var flushing: CheckedContinuation<Void, Never>?
        private var ended = false
        private var seconds = 0.0

        init(store: RunStore, runID: String) {
            self.store = store
            self.runID = runID
        }

        func enqueue(_ records: [SampleRecord]) throws {
            condition.lock()
            defer { condition.unlock() }
            while waiting >= SampleWriter.limit && failure == nil && !ended { condition.wait() }
            if let failure { throw failure }
            guard !ended else { return try store.save(samples: records, runID: runID) }
            queued.append(records)
            waiting += records.count
            condition.broadcast()
        }

        func close() {
            condition.lock()
            closed = true
            condition.broadcast()
            condition.unlock()
        }

        func flush() async throws -> Double {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                condition.lock()
                guard !ended else {
                    condition.unlock()
                    return done.resume()
                }
                flushing = done
                condition.broadcast()
                condition.unlock()
            }
            return try condition.withLock {
                if let failure { throw failure }
                return seconds
            }
        }

        /// Stores what is queued, a batch at a time in arrival order, until flushed or closed.
        func run() {
            ThreadPriority.idle()
            condition.lock()
            while true {
                while queued.isEmpty && flushing == nil && !closed { condition.wait() }
                // Dropped without a flush (its run failed): what is left is not stored.
                if closed && flushing == nil { queued = [] }
                if queued.isEmpty {
                    ended = true
                    let done = flushing
                    flushing = nil
                    condition.broadcast()
                    condition.unlock()
                    done?.resume()
                    return
                }
                // Everything waiting, in arrival order, in one transaction.
                let batch = queued.count == 1 ? queued[0] : Array(queued.joined())
                queued = []
                let skip = failure != nil
                condition.unlock()
                let clock = Date()
                var failed: (any Error)?
                if !skip {
                    do { try store.save(samples: batch, runID: runID) } catch { failed = error }
                }
                let spent = Date().timeIntervalSince(clock)
                condition.lock()
                seconds += spent
                failure = failure ?? failed
                waiting -= batch.count
                condition.broadcast()
            }
        }
    }
}
