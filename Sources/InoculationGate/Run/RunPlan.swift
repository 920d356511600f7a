/// Every request of a suite, in a fixed order: subject × condition × probe set ×
/// item × sample. The first stage of a run; batch export would hand the same
/// requests to a cluster.
package struct RunPlan: Sendable {
    package let requests: [GenerationRequest]

    package init(_ suite: Suite) {
        var requests: [GenerationRequest] = []
        var groups = ItemGroups(suite)
        while let group = groups.next() { requests += group }
        self.requests = requests
    }

    /// The plan's requests one (slot, item) at a time, in plan order, made as they are
    /// asked for: a large run streams through its plan without holding it.
    struct ItemGroups: IteratorProtocol, Sendable {
        private let suite: Suite
        private let subjects: [Subject]
        private var position = (subject: 0, condition: 0, probe: 0, item: 0)
        // Recorded data is gated whole: every record of a slot and item, up to `samples`
        // when the suite caps it. Counted once per data set.
        private var recordedCounts: [String: [RecordedData.SlotItem: Int]] = [:]

        init(_ suite: Suite) {
            self.suite = suite
            // Subjects known only from published counts have no answers to ask for.
            subjects = suite.subjects.filter { !suite.isSummaryOnly($0.name) }
        }

        private mutating func recorded(_ subject: Subject, _ probe: ProbeSet) -> [RecordedData.SlotItem: Int]? {
            guard case .recorded(let spec) = subject.provider,
                  let data = spec.dataSets.compactMap({ suite.recorded[$0] }).first(where: { $0.probe == probe.name && !$0.isSummary })
            else { return nil }
            if let known = recordedCounts[data.name] { return known }
            let counts = data.perItem
            recordedCounts[data.name] = counts
            return counts
        }

        /// How many samples of `item` the plan asks for in this slot.
        private mutating func samples(_ subject: Subject, _ condition: Condition, _ probe: ProbeSet, _ item: ProbeItem) -> Int {
            guard let counts = recorded(subject, probe) else { return probe.samples }
            let have = counts[RecordedData.SlotItem(subject: subject.name, condition: condition.name, item: item.id)] ?? 0
            return probe.samplesGiven ? min(have, probe.samples) : have
        }

        mutating func next() -> [GenerationRequest]? {
            while position.subject < subjects.count {
                let subject = subjects[position.subject]
                guard position.condition < suite.conditions.count else {
                    position = (position.subject + 1, 0, 0, 0)
                    continue
                }
                let condition = suite.conditions[position.condition]
                guard position.probe < suite.probes.count else {
                    position = (position.subject, position.condition + 1, 0, 0)
                    continue
                }
                let probe = suite.probes[position.probe]
                guard position.item < probe.items.count else {
                    position = (position.subject, position.condition, position.probe + 1, 0)
                    continue
                }
                let item = probe.items[position.item]
                position.item += 1
                let count = samples(subject, condition, probe, item)
                guard count > 0 else { continue }
                return (0..<count).map { RunPlan.request(subject: subject.name, condition: condition, probe: probe, item: item, sampleIndex: $0) }
            }
            return nil
        }

        /// How many requests the whole plan has, without making them.
        static func count(_ suite: Suite) -> Int {
            var groups = ItemGroups(suite)
            var total = 0
            for subject in groups.subjects {
                for condition in suite.conditions {
                    for probe in suite.probes {
                        for item in probe.items { total += groups.samples(subject, condition, probe, item) }
                    }
                }
            }
            return total
        }
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
              let item = probe.items.first(where: { $0.id == item })
        else { return nil }
        return request(subject: slot.subject, condition: condition, probe: probe, item: item, sampleIndex: sampleIndex)
    }

    /// Sample `sampleIndex` of `item` for `subject` under `condition`: the probe set's generation settings.
    static func request(subject: String, condition: Condition, probe: ProbeSet, item: ProbeItem, sampleIndex: Int) -> GenerationRequest {
        GenerationRequest(
            subject: subject, condition: condition, probe: probe.name, itemID: item.id, userText: item.prompt, sampleIndex: sampleIndex,
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
