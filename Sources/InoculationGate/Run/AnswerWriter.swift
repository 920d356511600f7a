import Dispatch
import Synchronization

/// Commits a run's answers to its ``ResponseCache`` off the request path: an answer is queued
/// the moment it arrives, and everything queued is committed in one transaction at most
/// ``delay`` later (group commit). Requests never wait on SQLite, no thread is woken per
/// answer, and one commit serves the answers of its interval.
///
/// What `kill -9` can lose is what was in flight: requests not yet answered and the answers of
/// the last ``delay`` — a resumed run asks for those again; none is ever stored twice.
final class AnswerWriter: Sendable {
    /// How long an answer may wait for its commit.
    static let delay = DispatchTimeInterval.milliseconds(10)

    private struct State {
        var queued: [CachedAnswer] = []
        var scheduled = false
        var failure: (any Error)?
    }

    private let cache: any ResponseCache
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "InoculationGate.AnswerWriter")

    init(cache: any ResponseCache) { self.cache = cache }

    /// Queues answers for the next commit; throws the error of an earlier commit that failed
    /// (the run must stop: its answers cannot be kept).
    func store(_ answers: [CachedAnswer]) throws {
        let (schedules, failure) = state.withLock { state -> (Bool, (any Error)?) in
            if let failure = state.failure { return (false, failure) }
            state.queued += answers
            guard !state.scheduled else { return (false, nil) }
            state.scheduled = true
            return (true, nil)
        }
        if let failure { throw failure }
        if schedules { queue.asyncAfter(deadline: .now() + Self.delay) { self.commitQueued() } }
    }

    /// Commits everything queued now and waits for it; throws a failed commit's error. Call it
    /// once every ``store(_:)`` has returned.
    func flush() async throws {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async {
                self.commitQueued()
                done.resume()
            }
        }
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Commits what is queued; when more arrived meanwhile, its commit is scheduled in turn.
    private func commitQueued() {
        let batch = state.withLock { state -> [CachedAnswer] in
            defer { state.queued = [] }
            return state.failure == nil ? state.queued : []
        }
        if !batch.isEmpty {
            do {
                try cache.storeAnswers(batch)
            } catch {
                state.withLock { $0.failure = $0.failure ?? error }
            }
        }
        let again = state.withLock { state -> Bool in
            if state.queued.isEmpty || state.failure != nil { state.scheduled = false }
            return state.scheduled
        }
        if again { queue.asyncAfter(deadline: .now() + Self.delay) { self.commitQueued() } }
    }
}
