/// Everything a provider needs to produce one sample.
package struct GenerationRequest: Sendable, Hashable {
    package var subject: String
    package var condition: Condition
    package var probe: String
    package var itemID: String
    /// The item's prompt as the user writes it, before the condition is applied.
    package var userText: String
    package var messages: [ChatMessage]
    /// Index `k` of the `K` samples drawn for this item under this condition.
    package var sampleIndex: Int
    package var temperature: Double
    package var maxTokens: Int
    package var topP: Double?
    package var stop: [String]

    package init(
        subject: String, condition: Condition, probe: String, itemID: String, userText: String,
        sampleIndex: Int, temperature: Double, maxTokens: Int, topP: Double? = nil, stop: [String] = []
    ) {
        self.subject = subject
        self.condition = condition
        self.probe = probe
        self.itemID = itemID
        self.userText = userText
        self.messages = condition.messages(for: userText, text: condition.text(item: itemID, sample: sampleIndex))
        self.sampleIndex = sampleIndex
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.topP = topP
        self.stop = stop
    }

    /// `top_p` and `stop` as hash parts, present only when set — so cache keys and
    /// fingerprints of requests without them stay as they were before they existed.
    /// Each stop sequence is a part of its own after their count: joined, `["a␟b"]` and
    /// `["a", "b"]` would hash alike.
    static func hashParts(topP: Double?, stop: [String]) -> [String] {
        (topP.map { ["top_p=\($0)"] } ?? []) + (stop.isEmpty ? [] : ["stop=\(stop.count)"] + stop)
    }
}
