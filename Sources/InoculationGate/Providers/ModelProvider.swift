/// A source of model answers.
public protocol ModelProvider: Sendable {
    /// A stable identity (kind, endpoint, model, version) that enters cache keys
    /// and fingerprints; never a secret.
    var identity: String { get }

    /// One answer for one request. Throwing fails the sample's generation, not
    /// the whole run; implementations retry transient failures themselves.
    func generate(_ request: GenerationRequest) async throws -> String

    /// Whether answers are worth caching in the runs database (a simulator's are not).
    var isCacheable: Bool { get }
}

extension ModelProvider {
    public var isCacheable: Bool { false }
}
