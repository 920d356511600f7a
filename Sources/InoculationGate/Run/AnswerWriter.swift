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
typealias AnswerWriter = BatchWriter<CachedAnswer>

extension BatchWriter where Item == CachedAnswer {
    /// How long an answer may wait for its commit, in seconds.
    static var delay: Double { 0.010 }
    /// The commit thread's nice value.
    static var niceness: Int32 { 10 }

    convenience init(cache: any ResponseCache) {
        self.init(policy: Policy(delay: Self.delay, niceness: Self.niceness, limit: nil)) { try cache.storeAnswers($0) }
    }
}
