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
}

extension ResponseCache {
    package func cachedAnswers(_ keys: [String]) throws -> [String: String] {
        var answers: [String: String] = [:]
        for key in keys { answers[key] = try cachedAnswer(key) }
        return answers
    }
}
