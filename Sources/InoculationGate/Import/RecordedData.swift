import Foundation

/// Answers produced elsewhere — by a researcher's own scripts or another harness —
/// read from a CSV or JSON Lines file through a column mapping, for subjects with
/// `provider: recorded`. Scored by our scorers, or (`use_scores: true`) with the
/// scores the file carries; the file's content and the mapping enter the
/// fingerprint, so a changed file is a changed fingerprint.
package struct RecordedData: Sendable {
    /// What a score column means.
    package enum Meaning: String, Sendable, Hashable, CaseIterable {
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
    package struct ScoreColumn: Sendable, Hashable {
        package var column: String
        package var meaning: Meaning
        /// The score's maximum (alignment, misalignment, coherence); scores are read as 0–100 after dividing by it.
        package var scale: Double
    }

    /// The mapping from file columns to the gate's slots.
    package struct Mapping: Sendable, Hashable {
        package var subject: String
        package var condition: String?
        package var item: String?
        package var itemText: String?
        package var sample: String?
        package var answer: String?
        package var scores: [ScoreColumn]
        /// File value → subject name (identity when empty).
        package var subjects: [String: String]
        /// File value → condition name (identity when empty; `condition` unset means every row is `none`).
        package var conditions: [String: String]

        /// A stable text of the mapping, for the fingerprint.
        var canonical: String {
            var parts = [subject, condition ?? "-", item ?? "-", itemText ?? "-", sample ?? "-", answer ?? "-"]
            parts += scores.map { "\($0.column)=\($0.meaning.rawValue)/\($0.scale)" }
            parts += subjects.sorted { $0.key < $1.key }.map { "s:\($0.key)=\($0.value)" }
            parts += conditions.sorted { $0.key < $1.key }.map { "c:\($0.key)=\($0.value)" }
            return parts.joined(separator: "\u{1f}")
        }
    }

    package struct Key: Sendable, Hashable {
        package var subject: String
        package var condition: String
        package var item: String
        package var sample: Int
    }

    package struct Row: Sendable, Hashable {
        package var answer: String
        package var score: SampleScore?
        /// The file line the row starts on.
        package var line: Int
    }

    /// One cell of a published summary: k of n answers of one subject under one condition had the trait.
    package struct Cell: Sendable, Hashable {
        package var successes: Double
        package var trials: Double
        package var line: Int
    }

    package struct CellKey: Sendable, Hashable {
        package var subject: String
        package var condition: String
        package var measure: String
    }

    package var name: String
    package var file: String
    /// The probe set the answers belong to (empty for summaries, which are per measure).
    package var probe: String
    package var useScores: Bool
    package var mapping: Mapping
    /// Hash of every record read and of the mapping.
    package var contentHash: String
    package var rows: [Key: Row]
    /// Records read, and those skipped because their subject is not one the suite names.
    package var recordsRead: Int
    package var skippedBySubject: [String: Int]
    /// Cell-level counts (`format: summary`): no answers, so no pairing by item.
    package var cells: [CellKey: Cell] = [:]
    package var isSummary: Bool { !cells.isEmpty }
    /// Records whose item is not in the probe set: item id → records (counted, not gated).
    package var outsideProbe: [String: Int] = [:]
    /// Subjects that several of the file's models map to: subject → those models, pooled
    /// (every record kept, samples numbered model by model; analysis is clustered by item).
    package var pooled: [String: [String]] = [:]
    /// The generation settings the file records per subject (inspect_ai and lm-eval logs
    /// carry them), each distinct setting once; absent when the file does not say.
    package var generation: [String: [String]] = [:]

    /// Answers recorded for one slot and item, by sample index.
    package func row(_ key: Key) -> Row? { rows[key] }

    /// What a run of `probe` makes of the data set, in one line: records gated, left out by
    /// the cap, pooled models, answers to items the probe set does not have. The report and
    /// `ipgate import` both say this.
    package func usage(probe: ProbeSet?) -> String {
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
    package func leftOut(cap: Int?) -> Int {
        guard let cap else { return 0 }
        return perItem.values.reduce(0) { $0 + max(0, $1 - cap) }
    }

    /// One subject's answers to one item under one condition.
    package struct SlotItem: Sendable, Hashable {
        package var subject: String
        package var condition: String
        package var item: String
    }

    /// How many answers each subject has per condition and item (samples 0…n−1; the
    /// counts may differ between items: real files are ragged). Counted on each call.
    package var perItem: [SlotItem: Int] {
        var counts: [SlotItem: Int] = [:]
        for key in rows.keys { counts[SlotItem(subject: key.subject, condition: key.condition, item: key.item), default: 0] += 1 }
        return counts
    }
}
