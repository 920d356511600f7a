import Foundation

/// Commits a run's answers to its ``ResponseCache`` off the request path: an answer is queued
/// the moment it arrives, and everything queued is committed in one transaction at most
/// ``delay`` after the first of it arrived (group commit). Requests never wait on SQLite and
/// one commit serves the answers of its interval.
///
/// Commits run on the writer's own thread at a lower priority (nice ``niceness`` on Linux):
/// they give way to the request loop and a model server on the same machine, yet still get a
/// share of a busy machine, so an answer's commit is not put off until the cores are free.
///
/// What `kill -9` can lose is what was in flight: requests not yet answered and the answers of
/// the last ``delay`` — a resumed run asks for those again; none is ever stored twice.
final class AnswerWriter: @unchecked Sendable {
    /// How long an answer may wait for its commit, in seconds.
    static let delay = 0.010
    /// The commit thread's nice value.
    static let niceness: Int32 = 10

    private let cache: any ResponseCache
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var queued: [CachedAnswer] = []
    /// When the oldest queued answer was queued.
    private var oldest = Date.distantFuture
    private var failure: (any Error)?
    private var flushing: CheckedContinuation<Void, Never>?
    /// The thread has committed its last batch and ended.
    private var ended = false

    init(cache: any ResponseCache) {
        self.cache = cache
        Thread { [self] in commitLoop() }.start()
    }

    /// Queues answers for the next commit; throws the error of an earlier commit that failed
    /// (the run must stop: its answers cannot be kept).
    func store(_ answers: [CachedAnswer]) throws {
        condition.lock()
        if let failure {
            condition.unlock()
            throw failure
        }
        guard !ended else {
            // After the last flush nothing commits for us: store in place.
            condition.unlock()
            return try cache.storeAnswers(answers)
        }
        if queued.isEmpty {
            oldest = Date()
            condition.signal()
        }
        queued += answers
        condition.unlock()
    }

    /// Commits everything queued, waits for it and ends the writer's thread; throws a failed
    /// commit's error. Call it once, after every ``store(_:)`` has returned.
    func flush() async throws {
        await withCheckedContinuation { finish(then: $0) }
        if let failure = condition.withLock({ failure }) { throw failure }
    }

    /// Hands the flush's continuation to the thread (or resumes it when the thread has ended).
    private func finish(then done: CheckedContinuation<Void, Never>) {
        condition.lock()
        guard !ended else {
            condition.unlock()
            return done.resume()
        }
        flushing = done
        condition.signal()
        condition.unlock()
    }

    /// Waits for answers that have waited ``delay`` (or for the flush), commits them, and
    /// again, until the flush finds nothing left.
    private func commitLoop() {
        ThreadPriority.lower(to: Self.niceness)
        condition.lock()
        while true {
            while flushing == nil, queued.isEmpty || Date() < oldest.addingTimeInterval(Self.delay) {
                if queued.isEmpty { condition.wait() } else { _ = condition.wait(until: oldest.addingTimeInterval(Self.delay)) }
            }
            let batch = failure == nil ? queued : []
            queued = []
            oldest = .distantFuture
            condition.unlock()
            var failed: (any Error)?
            if !batch.isEmpty {
                do { try cache.storeAnswers(batch) } catch { failed = error }
            }
            condition.lock()
            failure = failure ?? failed
            if let done = flushing, queued.isEmpty {
                ended = true
                flushing = nil
                condition.unlock()
                done.resume()
                return
            }
        }
    }
}
