/// A linear contrast over slots on the same items, `Σⱼ wⱼ·Xⱼ + cᵢ`, watched by one
/// anytime-valid confidence sequence as rounds arrive.
///
/// `Xⱼ` is a slot's per-item value of a metric in one round (a rate's 0/1 outcome, a
/// score ÷ 100), so every contrast is bounded and the sequence (``BettingConfidenceSequence``)
/// covers the mean of the contrast over the items. Ratios and shares are decided as
/// contrasts too (`to − r·from ≥ 0`), never from two separate sequences.
struct AdaptiveContrast: Sendable {
    struct Term: Sendable, Hashable {
        var slot: Slot
        var weight: Double
    }

    var terms: [Term]
    var metric: MeasureSpec.Metric
    var judge: JudgeSettings
    /// The items, in order: every round gives one value per item.
    var items: [String]
    /// A per-item constant (minus the baseline's value, for comparisons), in contrast units.
    var constants: [Double]
    /// The contrast's range, in contrast units (the metric's value ÷ its unit).
    let low: Double, high: Double
    var sequence: BettingConfidenceSequence
    /// The slots of its terms, and a key naming (metric, slots) for values shared within a round.
    let slots: Set<Slot>
    let valuesKey: String

    /// - Parameter points: values, in contrast units, that decisions are read at.
    init(
        terms: [Term], metric: MeasureSpec.Metric, judge: JudgeSettings, items: [String], constants: [Double]? = nil,
        alpha: Double, points: [Double], resolution: Int = 1000
    ) {
        self.terms = terms
        self.metric = metric
        self.judge = judge
        self.items = items
        self.constants = constants ?? [Double](repeating: 0, count: items.count)
        let negative = terms.filter { $0.weight < 0 }.reduce(0) { $0 + $1.weight }
        let positive = terms.filter { $0.weight > 0 }.reduce(0) { $0 + $1.weight }
        low = negative + (self.constants.min() ?? 0).clamped(to: -1...0)
        high = positive + (self.constants.max() ?? 0).clamped(to: 0...1)
        let (low, high) = (self.low, self.high)
        sequence = BettingConfidenceSequence(alpha: alpha, resolution: resolution, including: points.map { ($0 - low) / (high - low) })
        slots = Set(terms.map(\.slot))
        valuesKey = ([metric.rawValue] + slots.sorted().map(\.description)).joined(separator: "\u{1f}")
    }

    /// Adds one round from each slot's per-item values (low and high imputation).
    mutating func observe(_ values: RoundValues) {
        var lows: [Double] = [], highs: [Double] = []
        lows.reserveCapacity(items.count)
        highs.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            var a = constants[index], b = constants[index]
            for term in terms {
                let value = values.value(slot: term.slot, item: item)
                if term.weight >= 0 {
                    a += term.weight * value.low
                    b += term.weight * value.high
                } else {
                    a += term.weight * value.high
                    b += term.weight * value.low
                }
            }
            lows.append(normalized(a))
            highs.append(normalized(b))
        }
        sequence.observe(low: lows, high: highs)
    }

    private func normalized(_ value: Double) -> Double { min(1, max(0, (value - low) / (high - low))) }
    private func denormalized(_ value: Double) -> Double { low + value * (high - low) }

    /// The anytime interval, in contrast units.
    var lower: Double { denormalized(sequence.lower) }
    var upper: Double { denormalized(sequence.upper) }
    var estimate: Double? { sequence.estimate.map(denormalized) }

    /// Established to be above / below `value` (contrast units; a point given at init).
    func isAbove(_ value: Double) -> Bool { sequence.isAbove(normalized(value)) }
    func isBelow(_ value: Double) -> Bool { sequence.isBelow(normalized(value)) }

    /// Rounds after which the contrast would likely clear `value`, at today's estimate.
    func roundsToDecide(_ value: Double) -> Int? {
        sequence.roundsToDecide((value - low) / (high - low), itemsPerRound: items.count)
    }
}

/// Each slot's per-item value of one metric in one round: the mean over the item's
/// first `k` countable samples of the round, a missing one taken as 0 (low) or 1 (high).
struct RoundValues: Sendable {
    private var values: [SlotItem: (low: Double, high: Double)] = [:]

    /// - Parameter records: the round's samples of the slots, in sample order.
    init(_ records: [SampleRecord], metric: MeasureSpec.Metric, judge: JudgeSettings, perRound k: Int, slots: Set<Slot>) {
        var counted: [SlotItem: (sum: Double, n: Int)] = [:]
        for record in records where slots.contains(record.slot) {
            let key = SlotItem(slot: record.slot, itemID: record.itemID)
            var entry = counted[key] ?? (0, 0)
            guard entry.n < k else { continue }
            let (successes, trials) = MeasureAggregator.count(record.score, metric: metric, judge: judge)
            guard trials > 0 else { continue }
            entry.sum += successes / metric.scale.unit
            entry.n += 1
            counted[key] = entry
        }
        for (key, entry) in counted {
            let missing = Double(k - entry.n)
            values[key] = (entry.sum / Double(k), (entry.sum + missing) / Double(k))
        }
    }

    /// A slot-item without any countable sample is wholly imputed: [0, 1].
    func value(slot: Slot, item: String) -> (low: Double, high: Double) {
        values[SlotItem(slot: slot, itemID: item)] ?? (0, 1)
    }

    /// How many of the item's `k` values are countable (for top-ups).
    static func countable(_ records: [SampleRecord], metric: MeasureSpec.Metric, judge: JudgeSettings) -> [SlotItem: Int] {
        var counts: [SlotItem: Int] = [:]
        for record in records where MeasureAggregator.count(record.score, metric: metric, judge: judge).1 > 0 {
            counts[SlotItem(slot: record.slot, itemID: record.itemID), default: 0] += 1
        }
        return counts
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
