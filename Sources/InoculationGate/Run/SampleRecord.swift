/// One answer and its score.
public struct SampleRecord: Sendable, Hashable {
    public var subject: String
    public var condition: String
    public var probe: String
    public var itemID: String
    public var sampleIndex: Int
    public var answer: String
    public var score: SampleScore

    public init(subject: String, condition: String, probe: String, itemID: String, sampleIndex: Int, answer: String, score: SampleScore) {
        self.subject = subject
        self.condition = condition
        self.probe = probe
        self.itemID = itemID
        self.sampleIndex = sampleIndex
        self.answer = answer
        self.score = score
    }
}
