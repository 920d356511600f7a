import Foundation

/// Commits items to storage on a thread of its own, in batches, off the path that produces
/// them: ``store(_:)`` queues and returns, the thread commits whatever has queued in one
/// call, in the order it came. A run has two: its answers (``AnswerWriter``) and its
/// samples (``SampleWriter``).
///
/// A commit that fails stops the producer: the next ``store(_:)`` and the ``flush()``
/// throw its error, and nothing later is committed. After the flush the thread has ended
/// and a store commits in place. A writer dropped without a flush commits what is queued
/// and ends its thread.
final class BatchWriter<Item: Sendable>: Sendable {
    /// How a writer commits.
    struct Policy: Sendable {
        /// How long the first item of a batch waits for others to join it, in seconds (0:
        /// commit as soon as the thread is free).
        var delay: Double
        /// The thread's nice value, or nil for Linux's idle class (it runs only on cores
        /// nothing else wants).
        var niceness: Int32?
        /// Items that may wait before ``store(_:)`` waits too (nil: no bound).
        var limit: Int?
    }

    private let state: State

    init(policy: Policy, commit: @escaping @Sendable ([Item]) throws -> Void) {
        let state = State(policy: policy, commit: commit)
        self.state = state
        // The thread holds the state, not the writer, so dropping the writer ends it.
        Thread { state.run() }.start()
    }

    deinit { state.close() }

    /// Queues items for the next commit (waiting while the policy's limit is reached);
    /// throws the error of an earlier commit that failed.
    func store(_ items: [Item]) throws { try state.enqueue(items) }

    /// Commits everything queued, waits for it and ends the thread; returns the seconds spent
    /// committing and throws a failed commit's error. Call it once, after the last ``store(_:)``.
    @discardableResult
    func flush() async throws -> Double { try await state.flush() }

    private final class State: @unchecked Sendable {
        private let policy: Policy
        private let commit: @Sendable ([Item]) throws -> Void
        private let condition = NSCondition()
        // Guarded by `condition`:
        private var queued: [[Item]] = []
        private var waiting = 0
        /// When the oldest queued item was queued.
        private var oldest = Date.distantFuture
        private var failure: (any Error)?
        private var closed = false
        private var flushing: CheckedContinuation<Void, Never>?
        /// The thread has committed its last batch and ended.
        private var ended = false
        private var seconds = 0.0

        init(policy: Policy, commit: @escaping @Sendable ([Item]) throws -> Void) {
            self.policy = policy
            self.commit = commit
        }

        func enqueue(_ items: [Item]) throws {
            condition.lock()
            defer { condition.unlock() }
            while let limit = policy.limit, waiting >= limit, failure == nil, !ended { condition.wait() }
            if let failure { throw failure }
            // After the flush nothing commits for us: commit in place.
            guard !ended else { return try commit(items) }
            // Only the first item of a batch wakes the thread (to start its delay): a wake-up per
            // store would cost the producer — the request loop, for answers — a system call each.
            if queued.isEmpty {
                oldest = Date()
                condition.broadcast()
            }
            queued.append(items)
            waiting += items.count
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

        /// Waits until the oldest queued item has waited the policy's delay (or the flush, or
        /// the writer's end), commits everything queued, and again until nothing is left.
        func run() {
            if let niceness = policy.niceness { ThreadPriority.lower(to: niceness) } else { ThreadPriority.idle() }
            condition.lock()
            while true {
                while flushing == nil, !closed, queued.isEmpty || Date() < oldest.addingTimeInterval(policy.delay) {
                    if queued.isEmpty { condition.wait() } else { _ = condition.wait(until: oldest.addingTimeInterval(policy.delay)) }
                }
                if queued.isEmpty {
                    ended = true
                    let done = flushing
                    flushing = nil
                    condition.broadcast()
                    condition.unlock()
                    done?.resume()
                    return
                }
                // Everything queued, in arrival order, in one commit (none after a failure).
                let batch = failure != nil ? [] : queued.count == 1 ? queued[0] : Array(queued.joined())
                let count = waiting
                queued = []
                oldest = .distantFuture
                condition.unlock()
                let clock = Date()
                var failed: (any Error)?
                if !batch.isEmpty {
                    do { try commit(batch) } catch { failed = error }
                }
                let spent = Date().timeIntervalSince(clock)
                condition.lock()
                seconds += spent
                failure = failure ?? failed
                waiting -= count
                condition.broadcast()
            }
        }
    }
}
