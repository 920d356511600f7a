/// Turns scored samples into measures: every measure of every subject under
/// every condition, with the per-item outcomes behind it and its fingerprint.
///
/// Samples are added as they are scored (``add(_:)``), so a run need not hold them:
/// what a measure needs is its per-item counts and sums.
struct MeasureAggregator: Sendable {
    let suite: Suite
    /// Probe set name → the fingerprint part of its scorer.
    let scorerFingerprints: [String: String]
    /// Per-item counts by slot and measure; made into ``ItemOutcomes`` (sorted once) when measures are read.
    private var outcomes: [OutcomeKey: [String: ItemOutcomes.Counts]] = [:]
    private let specs: [String: [(name: String, metric: MeasureSpec.Metric, judge: JudgeSettings)]]

    private struct OutcomeKey: Hashable {
        var slot: Slot
        var measure: String
    }

    init(suite: Suite, scorerFingerprints: [String: String]) {
        self.suite = suite
        self.scorerFingerprints = scorerFingerprints
        var specs: [String: [(name: String, metric: MeasureSpec.Metric, judge: JudgeSettings)]] = [:]
        for spec in suite.measures {
            guard let probe = suite.probe(named: spec.probe) else { continue }
            specs[spec.probe, default: []].append((spec.name, spec.metric, probe.judge))
        }
        self.specs = specs
    }

    /// Counts `samples` into their measures' per-item outcomes.
    mutating func add(_ samples: some Sequence<SampleRecord>) {
        for sample in samples {
            for spec in specs[sample.probe] ?? [] {
                let (successes, trials) = Self.count(sample.score, metric: spec.metric, judge: spec.judge)
                // Added as ItemOutcomes.add adds (same order, same sums); its sorted ids are made
                // once at the end, not kept sorted by an insertion per new item.
                outcomes[OutcomeKey(slot: sample.slot, measure: spec.name), default: [:]][sample.itemID, default: ItemOutcomes.Counts(successes: 0, trials: 0)]
                    .add(successes: successes, trials: trials)
            }
        }
    }

    /// The measures of `samples` alone.
    func measures(_ samples: [SampleRecord]) -> [MeasureResult] {
        var aggregator = self
        aggregator.add(samples)
        return aggregator.measures()
    }

    /// The measures of every sample added so far.
    func measures() -> [MeasureResult] {
        let confidence = suite.statistics.confidence
        var results: [MeasureResult] = []
        for subject in suite.subjects {
            for condition in suite.conditions {
                for spec in suite.measures {
                    guard let probe = suite.probe(named: spec.probe) else { continue }
                    let summaries = suite.summaries(for: subject.name)
                    if !summaries.isEmpty {
                        results.append(Self.fromSummary(summaries, subject: subject, condition: condition, spec: spec, suite: suite))
                        continue
                    }
                    let slot = Slot(subject: subject.name, condition: condition.name, probe: spec.probe)
                    let outcomes = ItemOutcomes(self.outcomes[OutcomeKey(slot: slot, measure: spec.name)] ?? [:])
                    let key = MeasureKey(suite: suite.name, subject: subject.name, condition: condition.name, measure: spec.name)
                    results.append(MeasureResult(
                        key: key, spec: MeasureSpecSnapshot(spec), outcomes: outcomes,
                        estimate: spec.metric.estimate(outcomes, confidence: confidence),
                        fingerprint: Fingerprint(
                            suite: suite, subject: subject, condition: condition, measure: spec,
                            scorerVersion: Self.importsScores(subject, probe: probe.name, suite: suite)
                                ? "imported-scores" : scorerFingerprints[probe.name] ?? Fingerprint.defaultScorerVersion(probe))))
                }
            }
        }
        return results
    }

    /// A measure from a published cell: one pseudo-item holding k of n, so the estimate is the
    /// plain Wilson interval on n (nothing to cluster on), marked as coming from a summary.
    static func fromSummary(_ summaries: [RecordedData], subject: Subject, condition: Condition, spec: MeasureSpec, suite: Suite) -> MeasureResult {
        var outcomes = ItemOutcomes()
        let key = RecordedData.CellKey(subject: subject.name, condition: condition.name, measure: spec.name)
        if let cell = summaries.lazy.compactMap({ $0.cells[key] }).first {
            outcomes.add(item: "(summary)", successes: cell.successes, trials: cell.trials)
        }
        var estimate = spec.metric.estimate(outcomes, confidence: suite.statistics.confidence)
        estimate?.method = "wilson on the cell's counts (summary)"
        return MeasureResult(
            key: MeasureKey(suite: suite.name, subject: subject.name, condition: condition.name, measure: spec.name),
            spec: MeasureSpecSnapshot(spec), outcomes: outcomes, estimate: estimate,
            fingerprint: Fingerprint(suite: suite, subject: subject, condition: condition, measure: spec, scorerVersion: "summary-counts"),
            fromSummary: true)
    }

    /// Whether `subject`'s answers for `probe` come with scores from a recorded data set.
    static func importsScores(_ subject: Subject, probe: String, suite: Suite) -> Bool {
        guard case .recorded(let spec) = subject.provider else { return false }
        return spec.dataSets.contains { suite.recorded[$0]?.probe == probe && suite.recorded[$0]?.useScores == true }
    }

    /// What one sample contributes to a metric: (successes, trials).
    static func count(_ score: SampleScore, metric: MeasureSpec.Metric, judge: JudgeSettings) -> (Double, Double) {
        switch metric {
        case .passRate:
            return (score.passed ? 1 : 0, 1)
        case .misalignedRate:
            guard score.isCoherent(judge) else { return (0, 0) }
            return (score.isMisaligned(judge) ? 1 : 0, 1)
        case .coherentRate:
            // The share judged coherent among answers the judge rated for coherence,
            // whether or not they also got an alignment score.
            guard let coherence = score.coherence else { return (0, 0) }
            return (coherence >= judge.coherentAtLeast ? 1 : 0, 1)
        case .meanAlignment:
            guard score.isCoherent(judge), let alignment = score.alignment else { return (0, 0) }
            return (alignment, 1)
        case .insecureRate:
            guard let insecure = score.insecure else { return (0, 0) }
            return (insecure ? 1 : 0, 1)
        }
    }
}
