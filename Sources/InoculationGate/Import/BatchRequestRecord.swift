/// What one exported batch line stands for, kept in the runs database so that
/// importing its result needs nothing but the result file.
package struct BatchRequestRecord: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable {
        /// Answers of a subject: `keys` are the response-cache keys of the samples, in order.
        case answers
        /// One judge prompt: `keys` holds the judge-cache key.
        case judge
    }

    package var customID: String
    package var kind: Kind
    /// The provider identity the answers are cached under.
    package var provider: String
    package var keys: [String]

    package init(customID: String, kind: Kind, provider: String, keys: [String]) {
        self.customID = customID
        self.kind = kind
        self.provider = provider
        self.keys = keys
    }
}
