/// What a run keeps of its samples as they are scored. A run up to `limit` samples keeps
/// every one (``RunResult`` carries them); a larger one keeps only what an output reads
/// after the run — for each item of each slot the answers a flipped item's excerpt can
/// come from, and the answers at labelled places (the judge's check) — and stores the
/// rest as it goes, so its memory does not grow with its samples.
struct SampleKeeper: Sendable {
    /// Places of labels sampled from a run, whose answers the judge's check matches.
    struct Place: Hashable, Sendable {
        var slot: Slot
        var item: String
        var sample: Int
    }

    let keepsAll: Bool
    private let labelled: Set<Place>
    private(set) var count = 0
    private var all: [SampleRecord] = []
    private var labelledSamples: [SampleRecord] = []
    /// Per slot and item: the first sample, the first failing one, the least aligned, the
    /// least coherent and the first insecure — the candidates `BaselineComparator.telling` picks from.
    private var candidates: [SlotItem: [SampleRecord]] = [:]

    init(keepsAll: Bool, labelled: Set<Place> = []) {
        self.keepsAll = keepsAll
        self.labelled = labelled
    }

    mutating func add(_ samples: [SampleRecord]) {
        count += samples.count
        if keepsAll {
            all += samples
            return
        }
        for sample in samples {
            if !labelled.isEmpty, labelled.contains(Place(slot: sample.slot, item: sample.itemID, sample: sample.sampleIndex)) {
                labelledSamples.append(sample)
            }
            let key = SlotItem(slot: sample.slot, itemID: sample.itemID)
            var kept = candidates[key] ?? [SampleRecord](repeating: sample, count: 5)
            // Each rule: replace when better, ties to the lower sample index (as `telling` reads them in index order).
            func prefer(_ slot: Int, _ better: (SampleRecord, SampleRecord) -> Bool?) {
                let current = kept[slot]
                switch better(sample, current) {
                case true?: kept[slot] = sample
                case nil where sample.sampleIndex < current.sampleIndex: kept[slot] = sample
                default: break
                }
            }
            prefer(0) { _, _ in nil }
            prefer(1) { a, b in a.score.passed == b.score.passed ? nil : !a.score.passed }
            prefer(2) { a, b in Self.order(a.score.alignment ?? 101, b.score.alignment ?? 101) }
            prefer(3) { a, b in Self.order(a.score.coherence ?? 101, b.score.coherence ?? 101) }
            prefer(4) { a, b in (a.score.insecure == true) == (b.score.insecure == true) ? nil : a.score.insecure == true }
            candidates[key] = kept
        }
    }

    /// true: a is better (smaller); false: worse; nil: a tie.
    private static func order(_ a: Double, _ b: Double) -> Bool? { a == b ? nil : a < b }

    /// Every sample, or the kept ones (each once).
    var samples: [SampleRecord] {
        if keepsAll { return all }
        var seen: Set<Place> = []
        var kept: [SampleRecord] = []
        for sample in candidates.values.flatMap({ $0 }) + labelledSamples {
            if seen.insert(Place(slot: sample.slot, item: sample.itemID, sample: sample.sampleIndex)).inserted { kept.append(sample) }
        }
        return kept.sorted { ($0.slot, $0.itemID, $0.sampleIndex) < ($1.slot, $1.itemID, $1.sampleIndex) }
    }
}
