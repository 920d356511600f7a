import Foundation

/// Answers produced elsewhere — by a researcher's own scripts or another harness —
/// read from a CSV or JSON Lines file through a column mapping, for subjects with
/// `provider: recorded`. Scored by our scorers, or (`use_scores: true`) with the
/// scores the file carries; the file's content and the mapping enter the
/// fingerprint, so a changed file is a changed fingerprint.
public struct RecordedData: Sendable {
    /// What a score column means.
    public enum Meaning: String, Sendable, Hashable, CaseIterable {
        /// Higher is more aligned (a judge's alignment score).
        case alignment
        /// `scale − alignment`: higher is more misaligned.
        case misalignment
        /// A judge's coherence score.
        case coherence
        /// The answer's code passed its tests (true/false, 1/0, pass/fail, yes/no).
        case pass
        /// The answer's code is insecure (true/false, 1/0, yes/no).
        case insecure
    }

    /// A column of precomputed scores.
    public struct ScoreColumn: Sendable, Hashable {
        public var column: String
        public var meaning: Meaning
        /// The score's maximum (alignment, misalignment, coherence); scores are read as 0–100 after dividing by it.
        public var scale: Double
    }

    /// The mapping from file columns to the gate's slots.
    public struct Mapping: Sendable, Hashable {
        public var subject: String
        public var condition: String?
        public var item: String?
        public var itemText: String?
        public var sample: String?
        public var answer: String?
        public var scores: [ScoreColumn]
        /// File value → subject name (identity when empty).
        public var subjects: [String: String]
        /// File value → condition name (identity when empty; `condition` unset means every row is `none`).
        public var conditions: [String: String]

        /// A stable text of the mapping, for the fingerprint.
        var canonical: String {
            var parts = [subject, condition ?? "-", item ?? "-", itemText ?? "-", sample ?? "-", answer ?? "-"]
            parts += scores.map { "\($0.column)=\($0.meaning.rawValue)/\($0.scale)" }
            parts += subjects.sorted { $0.key < $1.key }.map { "s:\($0.key)=\($0.value)" }
            parts += conditions.sorted { $0.key < $1.key }.map { "c:\($0.key)=\($0.value)" }
            return parts.joined(separator: "\u{1f}")
        }
    }

    public struct Key: Sendable, Hashable {
        public var subject: String
        public var condition: String
        public var item: String
        public var sample: Int
    }

    public struct Row: Sendable, Hashable {
        public var answer: String
        public var score: SampleScore?
        /// The file line the row starts on.
        public var line: Int
    }

    /// One cell of a published summary: k of n answers of one subject under one condition had the trait.
    public struct Cell: Sendable, Hashable {
        public var successes: Double
        public var trials: Double
        public var line: Int
    }

    public struct CellKey: Sendable, Hashable {
        public var subject: String
        public var condition: String
        public var measure: String
    }

    public var name: String
    public var file: String
    /// The probe set the answers belong to (empty for summaries, which are per measure).
    public var probe: String
    public var useScores: Bool
    public var mapping: Mapping
    /// Hash of every record read and of the mapping.
    public var contentHash: String
    public var rows: [Key: Row]
    /// Records read, and those skipped because their subject is not one the suite names.
    public var recordsRead: Int
    public var skippedBySubject: [String: Int]
    /// Cell-level counts (`format: summary`): no answers, so no pairing by item.
    public var cells: [CellKey: Cell] = [:]
    public var isSummary: Bool { !cells.isEmpty }
    /// Records whose item is not in the probe set: item id → records (counted, not gated).
    public var outsideProbe: [String: Int] = [:]
    /// Subjects that several of the file's models map to: subject → those models, pooled
    /// (every record kept, samples numbered model by model; analysis is clustered by item).
    public var pooled: [String: [String]] = [:]

    /// Answers recorded for one slot and item, by sample index.
    public func row(_ key: Key) -> Row? { rows[key] }

    /// What a run of `probe` makes of the data set, in one line: records gated, left out by
    /// the cap, pooled models, answers to items the probe set does not have. The report and
    /// `ipgate import` both say this.
    public func usage(probe: ProbeSet?) -> String {
        let cap = probe.flatMap { $0.samplesGiven ? $0.samples : nil }
        let left = leftOut(cap: cap)
        var parts = ["\(rows.count - left) gated"]
        if let cap, left > 0 { parts.append("\(left) left out by samples: \(cap) (the first \(cap) per item are kept)") }
        for (subject, models) in pooled.sorted(by: { $0.key < $1.key }) {
            parts.append("subject \(subject) pools \(models.count) models (\(models.prefix(4).map { TextSafety.visible($0) }.joined(separator: ", "))\(models.count > 4 ? ", …" : ""))")
        }
        let judged = mapping.scores.contains { $0.meaning == .alignment || $0.meaning == .misalignment }
        if useScores, judged, !mapping.scores.contains(where: { $0.meaning == .coherence }) {
            // Not invented silently: the file has no coherence, so every scored answer counts as coherent.
            parts.append("coherence: not in the data (every scored answer counts as coherent)")
        }
        if !outsideProbe.isEmpty {
            let total = outsideProbe.values.reduce(0, +)
            let ids = outsideProbe.keys.sorted().prefix(5).map { TextSafety.visible($0) }.joined(separator: ", ")
            parts.append("\(total) answer\(total == 1 ? "" : "s") to \(outsideProbe.count) item\(outsideProbe.count == 1 ? "" : "s") outside probe set '\(self.probe)' not gated (\(ids)\(outsideProbe.count > 5 ? ", …" : ""))")
        }
        return parts.joined(separator: "; ")
    }

    /// Records a cap of `samples` per item leaves out (nil: no cap).
    public func leftOut(cap: Int?) -> Int {
        guard let cap else { return 0 }
        return perItem.values.reduce(0) { $0 + max(0, $1 - cap) }
    }

    /// One subject's answers to one item under one condition.
    public struct SlotItem: Sendable, Hashable {
        public var subject: String
        public var condition: String
        public var item: String
    }

    /// How many answers each subject has per condition and item (samples 0…n−1; the
    /// counts may differ between items: real files are ragged). Counted on each call.
    public var perItem: [SlotItem: Int] {
        var counts: [SlotItem: Int] = [:]
        for key in rows.keys { counts[SlotItem(subject: key.subject, condition: key.condition, item: key.item), default: 0] += 1 }
        return counts
    }
}
