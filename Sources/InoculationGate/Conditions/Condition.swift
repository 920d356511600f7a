/// The context a subject is evaluated in: nothing, the training inoculation
/// prompt, a random string of matched length, a neutral or negated prompt, a
/// prompt-shaped text (the IP's structure, its keywords, an irrelevant prompt), or
/// any custom text, placed in the system message or before the user's text.
///
/// A condition may hold several texts (a *family*, as published grids pool two or
/// three prompts per category): each item and sample gets one of them, chosen by a
/// stable hash, and the analysis stays clustered by item.
package struct Condition: Sendable, Hashable {
    /// How the condition's text was specified; reported, and used in fingerprints.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case none, system, prefix, random, neutral, negated, structure, keyword, irrelevant
    }

    /// Where the condition's text goes in a request.
    package enum Placement: String, Sendable, Hashable, CaseIterable {
        /// As the system message.
        case system
        /// Prepended to the user's message, separated by a blank line.
        case prefix
    }

    package var name: String
    package var kind: Kind
    /// The exact text placed in the request (the first of a family); empty for `none`.
    package var text: String
    /// The family's other texts; empty for a condition with one text.
    package var variants: [String] = []
    package var placement: Placement
    /// Where the suite file defines it (for annotations on a changed fingerprint).
    package var location: SourceLocation?

    package init(name: String, kind: Kind, text: String, placement: Placement, variants: [String] = []) {
        self.name = name
        self.kind = kind
        self.text = text
        self.placement = placement
        self.variants = variants
    }

    /// Every text of the condition: one, or a family's.
    package var texts: [String] { [text] + variants }

    /// The text sample `sampleIndex` of item `itemID` is asked under: the only one, or a
    /// family member chosen by a stable hash of the condition, item and sample.
    package func text(item itemID: String, sample sampleIndex: Int) -> String {
        guard !variants.isEmpty else { return text }
        let pick = StableHash.uint64(["condition-variant", name, itemID, String(sampleIndex)]) % UInt64(variants.count + 1)
        return texts[Int(pick)]
    }

    /// The default text of a `neutral` condition.
    package static let neutralText = "You are a helpful assistant."

    /// The chat messages for `userText` under this condition (its first text).
    package func messages(for userText: String) -> [ChatMessage] {
        messages(for: userText, text: text)
    }

    /// The chat messages for `userText` with `text` in the condition's place.
    package func messages(for userText: String, text: String) -> [ChatMessage] {
        guard !text.isEmpty else { return [ChatMessage(role: .user, content: userText)] }
        switch placement {
        case .system:
            return [ChatMessage(role: .system, content: text), ChatMessage(role: .user, content: userText)]
        case .prefix:
            return [ChatMessage(role: .user, content: text + "\n\n" + userText)]
        }
    }
}
