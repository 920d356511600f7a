/// One message of a chat request, in the OpenAI chat-completions sense.
package struct ChatMessage: Sendable, Hashable, Codable {
    package enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant
    }

    package var role: Role
    package var content: String

    package init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}
