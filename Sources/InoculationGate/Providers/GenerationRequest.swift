/// Everything a provider needs to produce one sample.
public struct GenerationRequest: Sendable, Hashable {
    public var subject: String
    public var condition: Condition
    public var probe: String
    public var itemID: String
    /// The item's prompt as the user writes it, before the condition is applied.
    public var userText: String
    public var messages: [ChatMessage]
    /// Index `k` of the `K` samples drawn for this item under this condition.
    public var sampleIndex: Int
    public var temperature: Double
    public var maxTokens: Int
    public var topP: Double?
    public var stop: [String]

    public init(
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
