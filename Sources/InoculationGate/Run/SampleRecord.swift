/// One answer and its score.
package struct SampleRecord: Sendable, Hashable {
    package var subject: String
    package var condition: String
    package var probe: String
    package var itemID: String
    package var sampleIndex: Int
    package var answer: String
    package var score: SampleScore

    package init(subject: String, condition: String, probe: String, itemID: String, sampleIndex: Int, answer: String, score: SampleScore) {
        self.subject = subject
        self.condition = condition
        self.probe = probe
        self.itemID = itemID
        self.sampleIndex = sampleIndex
        self.answer = answer
        self.score = score
    }
}
