/// The context a subject is evaluated in: nothing, the training inoculation
/// prompt, a random string of matched length, a neutral or negated prompt, or
/// any custom text, placed in the system message or before the user's text.
public struct Condition: Sendable, Hashable {
    /// How the condition's text was specified; reported, and used in fingerprints.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case none, system, prefix, random, neutral, negated
    }

    /// Where the condition's text goes in a request.
    public enum Placement: String, Sendable, Hashable, CaseIterable {
        /// As the system message.
        case system
        /// Prepended to the user's message, separated by a blank line.
        case prefix
    }

    public var name: String
    public var kind: Kind
    /// The exact text placed in the request; empty for `none`.
    public var text: String
    public var placement: Placement

    public init(name: String, kind: Kind, text: String, placement: Placement) {
        self.name = name
        self.kind = kind
        self.text = text
        self.placement = placement
    }

    /// The default text of a `neutral` condition.
    public static let neutralText = "You are a helpful assistant."

    /// The chat messages for `userText` under this condition.
    public func messages(for userText: String) -> [ChatMessage] {
        guard !text.isEmpty else { return [ChatMessage(role: .user, content: userText)] }
        switch placement {
        case .system:
            return [ChatMessage(role: .system, content: text), ChatMessage(role: .user, content: userText)]
        case .prefix:
            return [ChatMessage(role: .user, content: text + "\n\n" + userText)]
        }
    }
}
