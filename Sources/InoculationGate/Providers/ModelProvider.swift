/// A source of model answers.
package protocol ModelProvider: Sendable {
    /// A stable identity (kind, endpoint, model, version) that enters cache keys
    /// and fingerprints; never a secret.
    var identity: String { get }

    /// One answer for one request. Implementations retry transient failures
    /// themselves; a throw stops the run (answers already cached are kept).
    func generate(_ request: GenerationRequest) async throws -> String

    /// Answers for several samples of one prompt (same messages, different
    /// sample indices), in order. May return fewer than asked — a prefix — when
    /// the endpoint ignores `n`; the caller asks again for the rest.
    func generate(samples requests: [GenerationRequest]) async throws -> [String]

    /// Whether answers are worth caching in the runs database (a simulator's are not).
    var isCacheable: Bool { get }

    /// Attempts that failed so far (retried or not), for progress lines.
    var failedAttempts: Int { get async }

    /// Why the last attempt failed, in a few words (for progress lines while nothing arrives).
    var lastFailure: String? { get async }

    /// Where requests go, for messages (`http://…/v1`); nil for simulated subjects.
    var endpoint: String? { get }

    /// How many requests it sends at once, at most (a collector keeps about that many waiting).
    var concurrency: Int { get }

    /// Where a collector's tasks for this provider should run (an HTTP client's own loop, so
    /// a request and its answer's handling cost no thread switch); nil: anywhere.
    var executor: (any TaskExecutor)? { get }

    /// A score that comes with the answer (recorded data with `use_scores`); nil: score it here.
    func importedScore(for request: GenerationRequest) throws -> SampleScore?
}

extension ModelProvider {
    package var isCacheable: Bool { false }

    package var failedAttempts: Int { get async { 0 } }

    package var lastFailure: String? { get async { nil } }

    package var endpoint: String? { nil }

    package var concurrency: Int { 1 }

    package var executor: (any TaskExecutor)? { nil }

    package func importedScore(for request: GenerationRequest) throws -> SampleScore? { nil }

    package func generate(samples requests: [GenerationRequest]) async throws -> [String] {
        guard let first = requests.first else { return [] }
        return [try await generate(first)]
    }
}
