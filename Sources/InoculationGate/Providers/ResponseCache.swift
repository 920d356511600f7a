/// Where answers are kept the moment they arrive, keyed by a hash of
/// everything that determines them, so a rerun asks nothing twice and a killed
/// run loses nothing. ``RunStore`` is the real one.
package protocol ResponseCache: Sendable {
    /// The answer stored under `key`, if any.
    func cachedAnswer(_ key: String) throws -> String?

    /// Stores `answer` under `key`; a second answer for the same key is ignored.
    func storeAnswer(_ answer: String, key: String, provider: String) throws
}
