/// Per-item counts behind a rate: `successes` out of `trials` for each item.
///
/// This is the unit of pairing and clustering. For a pass rate, trials are the
/// item's samples; for a misaligned rate, its coherent samples (so the rate is
/// a ratio estimator, Σ successes / Σ trials, clustered by item).
public struct ItemOutcomes: Sendable, Hashable, Codable {
    public struct Counts: Sendable, Hashable, Codable {
        public var successes: Double
        public var trials: Double

        public init(successes: Double, trials: Double) {
            self.successes = successes
            self.trials = trials
        }
    }

    /// Item id → counts. Items are always visited in sorted-id order, so sums
    /// and resamples are reproducible bit for bit.
    public private(set) var counts: [String: Counts]

    public init(_ counts: [String: Counts] = [:]) { self.counts = counts }

    public mutating func add(item: String, successes: Double, trials: Double) {
        counts[item, default: Counts(successes: 0, trials: 0)].successes += successes
        counts[item, default: Counts(successes: 0, trials: 0)].trials += trials
    }

    public var itemIDs: [String] { counts.keys.sorted() }
    public var itemCount: Int { counts.count }
    public var totalSuccesses: Double { itemIDs.reduce(0) { $0 + counts[$1]!.successes } }
    public var totalTrials: Double { itemIDs.reduce(0) { $0 + counts[$1]!.trials } }

    /// Σ successes / Σ trials, or nil when there are no trials.
    public var rate: Double? {
        let trials = totalTrials
        return trials > 0 ? totalSuccesses / trials : nil
    }

    /// True when every item has exactly one binary trial (one sample per item).
    public var isOneBinaryTrialPerItem: Bool {
        counts.values.allSatisfy { $0.trials == 1 && ($0.successes == 0 || $0.successes == 1) }
    }

    public subscript(item: String) -> Counts? { counts[item] }
}
