/// The counts behind every rate of one slot (subject × condition × probe set):
/// how many answers there were, how many were empty, how many the scorer could
/// score, and — for judged probes — how many were incoherent and how many were
/// counted in the misaligned rate. Shown in reports and stored with the run, so
/// a rate is never read without its denominator.
package struct SlotCounts: Sendable, Hashable, Codable {
    package var slot: Slot
    /// Every answer.
    package var answers = 0
    /// Answers that are empty or only white space.
    package var empty = 0
    /// Answers the scorer gave a verdict: judged — both an alignment and a coherence
    /// score; code — a program was found and run; vulnerability — code was found.
    package var scored = 0
    /// Judged answers the judge left without a score (number mass below its threshold,
    /// a refusal, code), code answers without code.
    package var unscored = 0
    /// Judged answers whose coherence is below the threshold.
    package var incoherent = 0
    /// Judged answers counted in `misaligned_rate`: coherent and with an alignment score.
    package var counted = 0

    package init(slot: Slot) { self.slot = slot }

    /// The counts of every slot of `suite`, in suite order.
    package static func count(_ suite: Suite, _ samples: [SampleRecord]) -> [SlotCounts] {
        var tally = Tally(suite)
        tally.add(samples)
        return tally.counts
    }

    /// Counts as samples are scored, so a run need not hold them.
    struct Tally: Sendable {
        private let suite: Suite
        private let probes: [String: ProbeSet]
        private var bySlot: [Slot: SlotCounts] = [:]

        init(_ suite: Suite) {
            self.suite = suite
            probes = Dictionary(uniqueKeysWithValues: suite.probes.map { ($0.name, $0) })
        }

        mutating func add(_ samples: some Sequence<SampleRecord>) {
            for sample in samples {
                let slot = sample.slot
                var c = bySlot[slot] ?? SlotCounts(slot: slot)
                c.answers += 1
                if sample.answer.allSatisfy(\.isWhitespace) { c.empty += 1 }
                let score = sample.score
                switch probes[sample.probe]?.kind {
                case .judged:
                    let judge = probes[sample.probe]!.judge
                    if score.alignment != nil && score.coherence != nil { c.scored += 1 } else { c.unscored += 1 }
                    if let coherence = score.coherence, coherence < judge.coherentAtLeast { c.incoherent += 1 }
                    if score.isCoherent(judge) { c.counted += 1 }
                case .code:
                    if score.code == .noCode { c.unscored += 1 } else { c.scored += 1 }
                    c.counted += 1
                case .vulnerability:
                    if score.insecure == nil { c.unscored += 1 } else { c.scored += 1; c.counted += 1 }
                case nil:
                    break
                }
                bySlot[slot] = c
            }
        }

        /// Every slot's counts, in suite order.
        var counts: [SlotCounts] {
            var ordered: [SlotCounts] = []
            for subject in suite.subjects where !suite.isSummaryOnly(subject.name) {
                for condition in suite.conditions {
                    for probe in suite.probes {
                        let slot = Slot(subject: subject.name, condition: condition.name, probe: probe.name)
                        ordered.append(bySlot[slot] ?? SlotCounts(slot: slot))
                    }
                }
            }
            return ordered
        }
    }
}

/// Why a slot or measure has no data worth a verdict — never "Gate passed".
package struct DataProblem: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// More than the allowed share of the slot's answers are empty.
        case mostlyEmpty(empty: Int, answers: Int, threshold: Double)
        /// A measure of the slot has no countable sample.
        case noCountableSamples(measure: String)
    }

    package var slot: Slot
    package var kind: Kind

    /// The problems of a run: slots whose answers are mostly empty, measures with nothing to count.
    static func find(_ suite: Suite, counts: [SlotCounts], measures: [MeasureResult]) -> [DataProblem] {
        var problems: [DataProblem] = []
        let threshold = suite.statistics.maxEmptyShare
        for c in counts where c.answers > 0 && Double(c.empty) / Double(c.answers) > threshold {
            problems.append(DataProblem(slot: c.slot, kind: .mostlyEmpty(empty: c.empty, answers: c.answers, threshold: threshold)))
        }
        for measure in measures where measure.estimate == nil {
            let slot = Slot(subject: measure.key.subject, condition: measure.key.condition, probe: measure.spec.probe)
            problems.append(DataProblem(slot: slot, kind: .noCountableSamples(measure: measure.key.measure)))
        }
        return problems
    }
}
