/// Per-item counts behind a rate: `successes` out of `trials` for each item.
///
/// This is the unit of pairing and clustering. For a pass rate, trials are the
/// item's samples; for a misaligned rate, its coherent samples (so the rate is
/// a ratio estimator, Σ successes / Σ trials, clustered by item).
package struct ItemOutcomes: Sendable, Hashable, Codable {
    package struct Counts: Sendable, Hashable, Codable {
        package var successes: Double
        package var trials: Double

        package init(successes: Double, trials: Double) {
            self.successes = successes
            self.trials = trials
        }

        /// Counts one more sample's successes and trials.
        package mutating func add(successes: Double, trials: Double) {
            self.successes += successes
            self.trials += trials
        }
    }

    /// Item id → counts. Items are always visited in sorted-id order, so sums
    /// and resamples are reproducible bit for bit.
    package private(set) var counts: [String: Counts]
    /// The ids of `counts`, kept sorted as items are added (sorting on every read
    /// dominated the statistics of large runs).
    package private(set) var itemIDs: [String]

    package init(_ counts: [String: Counts] = [:]) {
        self.counts = counts
        itemIDs = counts.keys.sorted()
    }

    package mutating func add(item: String, successes: Double, trials: Double) {
        if counts[item] == nil {
            var low = 0, high = itemIDs.count
            while low < high {
                let mid = (low + high) / 2
                if itemIDs[mid] < item { low = mid + 1 } else { high = mid }
            }
            itemIDs.insert(item, at: low)
        }
        counts[item, default: Counts(successes: 0, trials: 0)].add(successes: successes, trials: trials)
    }

    package var itemCount: Int { counts.count }
    package var totalSuccesses: Double { itemIDs.reduce(0) { $0 + counts[$1]!.successes } }
    package var totalTrials: Double { itemIDs.reduce(0) { $0 + counts[$1]!.trials } }

    /// Σ successes / Σ trials, or nil when there are no trials.
    package var rate: Double? {
        let trials = totalTrials
        return trials > 0 ? totalSuccesses / trials : nil
    }

    /// True when every item has exactly one binary trial (one sample per item).
    package var isOneBinaryTrialPerItem: Bool {
        counts.values.allSatisfy { $0.trials == 1 && ($0.successes == 0 || $0.successes == 1) }
    }

    package subscript(item: String) -> Counts? { counts[item] }

    // Stored and compared as the counts alone: the sorted ids follow from them.
    private enum CodingKeys: String, CodingKey { case counts }

    package init(from decoder: Decoder) throws {
        self.init(try decoder.container(keyedBy: CodingKeys.self).decode([String: Counts].self, forKey: .counts))
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(counts, forKey: .counts)
    }

    package static func == (lhs: ItemOutcomes, rhs: ItemOutcomes) -> Bool { lhs.counts == rhs.counts }

    package func hash(into hasher: inout Hasher) { hasher.combine(counts) }
}
