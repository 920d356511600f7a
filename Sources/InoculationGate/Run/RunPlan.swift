/// Every request of a suite, in a fixed order: subject × condition × probe set ×
/// item × sample. The first stage of a run; batch export would hand the same
/// requests to a cluster.
package struct RunPlan: Sendable {
    package let requests: [GenerationRequest]

    package init(_ suite: Suite) {
        var requests: [GenerationRequest] = []
        // Recorded data is gated whole: every record of a slot and item, up to `samples`
        // when the suite caps it. Counted once per data set.
        var recordedCounts: [String: [RecordedData.SlotItem: Int]] = [:]
        func recorded(_ subject: Subject, _ probe: ProbeSet) -> [RecordedData.SlotItem: Int]? {
            guard case .recorded(let spec) = subject.provider,
                  let data = spec.dataSets.compactMap({ suite.recorded[$0] }).first(where: { $0.probe == probe.name && !$0.isSummary })
            else { return nil }
            if let known = recordedCounts[data.name] { return known }
            let counts = data.perItem
            recordedCounts[data.name] = counts
            return counts
        }
        // Subjects known only from published counts have no answers to ask for.
        for subject in suite.subjects where !suite.isSummaryOnly(subject.name) {
            for condition in suite.conditions {
                for probe in suite.probes {
                    let counts = recorded(subject, probe)
                    for item in probe.items {
                        var samples = probe.samples
                        if let counts {
                            let have = counts[RecordedData.SlotItem(subject: subject.name, condition: condition.name, item: item.id)] ?? 0
                            samples = probe.samplesGiven ? min(have, probe.samples) : have
                        }
                        for k in 0..<samples {
                            requests.append(GenerationRequest(
                                subject: subject.name, condition: condition, probe: probe.name, itemID: item.id,
                                userText: item.prompt, sampleIndex: k, temperature: probe.temperature, maxTokens: probe.maxTokens,
                                topP: probe.topP, stop: probe.stop))
                        }
                    }
                }
            }
        }
        self.requests = requests
    }

    /// A plan of exactly these requests (one round of an adaptive run).
    package init(requests: [GenerationRequest]) { self.requests = requests }

    /// Every slot a run of `suite` asks for, in plan order.
    static func slots(of suite: Suite) -> [Slot] {
        suite.subjects.filter { !suite.isSummaryOnly($0.name) }.flatMap { subject in
            suite.conditions.flatMap { condition in
                suite.probes.map { Slot(subject: subject.name, condition: condition.name, probe: $0.name) }
            }
        }
    }

    /// The request for sample `sampleIndex` of `item` in `slot`, as the full plan would make it.
    static func request(_ suite: Suite, slot: Slot, item: String, sampleIndex: Int) -> GenerationRequest? {
        guard let condition = suite.condition(named: slot.condition), let probe = suite.probe(named: slot.probe),
              let prompt = probe.items.first(where: { $0.id == item })?.prompt
        else { return nil }
        return GenerationRequest(
            subject: slot.subject, condition: condition, probe: probe.name, itemID: item, userText: prompt, sampleIndex: sampleIndex,
            temperature: probe.temperature, maxTokens: probe.maxTokens, topP: probe.topP, stop: probe.stop)
    }
}

/// One answer to one request of the plan.
package struct Answer: Sendable, Hashable {
    package var request: GenerationRequest
    package var text: String
    /// The score recorded with the answer (imported data with `use_scores`); nil: scored here.
    package var importedScore: SampleScore?

    package init(request: GenerationRequest, text: String, importedScore: SampleScore? = nil) {
        self.request = request
        self.text = text
        self.importedScore = importedScore
    }
}
