/// Where answers are kept the moment they arrive, keyed by a hash of
/// everything that determines them, so a rerun asks nothing twice and a killed
/// run loses nothing. ``RunStore`` is the real one.
package protocol ResponseCache: Sendable {
    /// The answer stored under `key`, if any.
    func cachedAnswer(_ key: String) throws -> String?

    /// The answers stored under `keys`, by key (one read for a whole plan).
    func cachedAnswers(_ keys: [String]) throws -> [String: String]

    /// Stores `answer` under `key`; a second answer for the same key is ignored.
    func storeAnswer(_ answer: String, key: String, provider: String) throws

    /// Stores several answers at once, all or none (one commit for answers that arrived together).
    func storeAnswers(_ answers: [CachedAnswer]) throws
}

/// An answer on its way into a ``ResponseCache``.
package struct CachedAnswer: Sendable, Hashable {
    package var key: String
    package var answer: String
    /// The identity of the provider that gave it.
    package var provider: String

    package init(key: String, answer: String, provider: String) {
        self.key = key
        self.answer = answer
        self.provider = provider
    }
}

extension ResponseCache {
    package func cachedAnswers(_ keys: [String]) throws -> [String: String] {
        var answers: [String: String] = [:]
        for key in keys { answers[key] = try cachedAnswer(key) }
        return answers
    }

    package func storeAnswers(_ answers: [CachedAnswer]) throws {
        for answer in answers { try storeAnswer(answer.answer, key: answer.key, provider: answer.provider) }
    }
}
