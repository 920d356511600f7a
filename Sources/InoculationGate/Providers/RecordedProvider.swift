/// Answers of a recorded subject, from the suite's recorded data sets: nothing is
/// generated, nothing is cached (the file is the record), and with `use_scores`
/// each answer carries the score the file gives it.
struct RecordedProvider: ModelProvider {
    let subject: String
    /// Probe set name → its data set.
    let dataSets: [String: RecordedData]

    init(subject: String, spec: RecordedSubject, suite: Suite) {
        self.subject = subject
        var sets: [String: RecordedData] = [:]
        for name in spec.dataSets { if let data = suite.recorded[name] { sets[data.probe] = data } }
        dataSets = sets
    }

    var identity: String { "recorded:" + dataSets.values.map(\.contentHash).sorted().joined(separator: ",") }

    private func row(_ request: GenerationRequest) throws -> RecordedData.Row {
        guard let data = dataSets[request.probe],
              let row = data.row(RecordedData.Key(subject: subject, condition: request.condition.name, item: request.itemID, sample: request.sampleIndex))
        else {
            throw ProviderError.unusable(
                endpoint: "recorded data", model: subject,
                reason: "no recorded answer for condition '\(request.condition.name)', probe set '\(request.probe)', item '\(request.itemID)', sample \(request.sampleIndex)")
        }
        return row
    }

    func generate(_ request: GenerationRequest) async throws -> String { try row(request).answer }

    func importedScore(for request: GenerationRequest) throws -> SampleScore? {
        guard dataSets[request.probe]?.useScores == true else { return nil }
        return try row(request).score
    }
}
