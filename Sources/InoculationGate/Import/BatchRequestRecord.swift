/// What one exported batch line stands for, kept in the runs database so that
/// importing its result needs nothing but the result file.
public struct BatchRequestRecord: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Answers of a subject: `keys` are the response-cache keys of the samples, in order.
        case answers
        /// One judge prompt: `keys` holds the judge-cache key.
        case judge
    }

    public var customID: String
    public var kind: Kind
    /// The provider identity the answers are cached under.
    public var provider: String
    public var keys: [String]

    public init(customID: String, kind: Kind, provider: String, keys: [String]) {
        self.customID = customID
        self.kind = kind
        self.provider = provider
        self.keys = keys
    }
}
