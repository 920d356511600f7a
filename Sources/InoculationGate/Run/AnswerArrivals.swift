import Synchronization

/// Answers of a plan handed from the collector to scoring while the rest are still being
/// asked: in plan order (so counts and sums are added in the same order as a run that scores
/// everything at the end, bit for bit), in batches of at least ``batch`` (a scorer runs a
/// batch in parallel), each text released once and then forgotten.
final class AnswerArrivals: Sendable {
    /// Answers released at once unless the plan's last ones.
    static let batch = 512

    private struct State {
        var texts: [String?]
        /// Answers before this index have been released.
        var released = 0
        /// Answers before this index have arrived (every one of them).
        var ready = 0
        var finished = false
        var failure: (any Error)?
        var waiter: CheckedContinuation<Void, Never>?

        /// Whether a waiting consumer has something to take, or must learn that nothing comes.
        var wakes: Bool { ready - released >= AnswerArrivals.batch || finished || failure != nil }

        /// The waiting consumer, if any, to be resumed once the lock is released.
        mutating func take() -> CheckedContinuation<Void, Never>? {
            defer { waiter = nil }
            return waiter
        }
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(texts: Array(repeating: nil, count: count))) }

    /// Whether the collector has finished (what is left to release has all arrived).
    var isFinished: Bool { state.withLock { $0.finished } }

    /// Answers have arrived, by plan index.
    func arrived(_ answers: some Sequence<(Int, String)>) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            for (index, text) in answers { state.texts[index] = text }
            while state.ready < state.texts.count, state.texts[state.ready] != nil { state.ready += 1 }
            return state.wakes ? state.take() : nil
        }
        waiter?.resume()
    }

    /// No more answers come; those that never arrived (requests that failed in a run that
    /// tolerates failures) are left out.
    func finish() {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            return state.take()
        }?.resume()
    }

    /// The collector failed: the consumer's next call throws `error`.
    func fail(_ error: any Error) {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.failure = state.failure ?? error
            return state.take()
        }?.resume()
    }

    /// The next answers in plan order, by plan index: at least ``batch`` of them, or the rest
    /// once the collector has finished; nil when everything was released. One consumer only.
    func next() async throws -> [(index: Int, text: String)]? {
        while true {
            let (taken, failure, done) = state.withLock { state -> ([(index: Int, text: String)], (any Error)?, Bool) in
                if let failure = state.failure { return ([], failure, false) }
                let end = state.finished ? state.texts.count : state.ready
                guard end - state.released >= AnswerArrivals.batch || (state.finished && end > state.released) else {
                    return ([], nil, state.finished)
                }
                var taken: [(index: Int, text: String)] = []
                taken.reserveCapacity(end - state.released)
                for index in state.released..<end {
                    if let text = state.texts[index] { taken.append((index, text)) }
                    state.texts[index] = nil
                }
                state.released = end
                return (taken, nil, false)
            }
            if let failure { throw failure }
            if done { return nil }
            if !taken.isEmpty { return taken }
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.wakes { return true }
                    state.waiter = waiter
                    return false
                }
                if resumeNow { waiter.resume() }
            }
        }
    }
}
