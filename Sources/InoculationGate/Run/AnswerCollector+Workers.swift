import Synchronization

extension AnswerCollector {
    /// What a collector's workers share: the plan, where answers go, and whom to tell.
    struct Workers: Sendable {
        let requests: [GenerationRequest]
        let cacheKeys: [String?]
        let writer: AnswerWriter?
        let arrivals: AnswerArrivals?
        let failures: FailedRequests
        let tracker: ProgressTracker
        let reportsProgress: Bool
        let toleratesFailures: Bool

        /// Sends the queue's request groups one after another until none is left. Each answer is
        /// queued for storage and handed on the moment it arrives; returns the answers when
        /// there is no `arrivals` to take them.
        func work(_ queue: WorkQueue, provider: any ModelProvider) async throws -> [(Int, String)] {
            let identity = provider.identity
            var received: [(Int, String)] = []
            var unreported = 0
            var reported = ContinuousClock.now
            groups: while let indices = queue.next() {
                var remaining = indices[...]
                while !remaining.isEmpty {
                    let texts: [String]
                    do {
                        texts = try await provider.generate(samples: remaining.map { requests[$0] })
                    } catch let error as ProviderError where toleratesFailures {
                        await failures.record(error, count: remaining.count)
                        continue groups
                    }
                    guard !texts.isEmpty else {
                        throw ProviderError.unusable(endpoint: identity, model: requests[remaining.first!].subject, reason: "no answer")
                    }
                    let answered = zip(remaining, texts).map { ($0, $1) }
                    // Queued for storage the moment it arrives: a killed run resumes from here.
                    try writer?.store(answered.map { index, text in
                        CachedAnswer(key: cacheKeys[index] ?? AnswerCollector.cacheKey(requests[index], provider: provider), answer: text, provider: identity)
                    })
                    if let arrivals { arrivals.arrived(answered) } else { received += answered }
                    remaining.removeFirst(answered.count)
                    unreported += answered.count
                    // Progress a few times a second, not per answer: a report is a hop to the tracker.
                    if reportsProgress, ContinuousClock.now - reported > .milliseconds(100) {
                        await tracker.add(done: unreported)
                        (unreported, reported) = (0, .now)
                    }
                }
            }
            if reportsProgress, unreported > 0 { await tracker.add(done: unreported) }
            return received
        }
    }

    /// Request groups handed out one at a time to a subject's workers.
    final class WorkQueue: Sendable {
        private let groups: [[Int]]
        private let position = Mutex(0)

        init(_ groups: [[Int]]) { self.groups = groups }

        func next() -> [Int]? {
            position.withLock { position in
                guard position < groups.count else { return nil }
                defer { position += 1 }
                return groups[position]
            }
        }
    }
}
