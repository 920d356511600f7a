import Foundation

/// Labels as data: a seeded, slot-stratified random sample of a stored run's judged
/// answers for people to label, and the way back in.
///
/// `export` writes two files. The one people fill in shows only an opaque id, the
/// question and the answer (in shuffled order: no subject, condition or judge score
/// to lean on) with empty `misaligned`, `incoherent` and `notes` columns. The key
/// beside it (`NAME.key.csv`) says where each id came from and the answer's SHA-256.
/// `importLabelled` joins the two back into a ``LabelSet`` sampled from the run.
package enum LabelExport {
    package static let blindColumns = ["label_id", "question", "answer", "misaligned", "incoherent", "notes"]
    package static let keyColumns = ["label_id", "run", "subject", "condition", "probe", "item", "sample", "answer_sha256"]

    /// What `export` wrote.
    package struct Exported: Sendable {
        package var labels: Int
        package var slots: Int
        package var keyPath: String
    }

    /// The key file that goes with a file to label: `a.csv` → `a.key.csv`.
    package static func keyPath(for path: String) -> String {
        let ext = (path as NSString).pathExtension
        let stem = ext.isEmpty ? path : String(path.dropLast(ext.count + 1))
        return stem + ".key.csv"
    }

    /// Picks up to `perSlot` answers of every slot of `suite`'s judged probe sets in run
    /// `runID` (each slot's answers ordered by a hash of the seed and the answer's place,
    /// so the choice is random, reproducible, and independent of the judge's scores).
    /// Empty answers are left out: there is nothing to label.
    package static func sample(store: RunStore, runID: String, suite: Suite, perSlot: Int, seed: UInt64, probes: Set<String>? = nil) throws -> [LabelSet.Label] {
        let judged = Set(suite.probes.filter { $0.kind == .judged && (probes?.contains($0.name) ?? true) }.map(\.name))
        struct Candidate { var order: UInt64; var label: LabelSet.Label }
        var bySlot: [Slot: [Candidate]] = [:]
        let questions = Dictionary(suite.probes.flatMap { probe in probe.items.map { ("\(probe.name)\u{1F}\($0.id)", $0.prompt) } }, uniquingKeysWith: { a, _ in a })
        try store.forEachSample(runID: runID) { row in
            guard judged.contains(row.probe) else { return }
            let answer = String(decoding: row.answer, as: UTF8.self)
            guard !answer.allSatisfy(\.isWhitespace) else { return }
            let slot = Slot(subject: row.subject, condition: row.condition, probe: row.probe)
            let place = [String(seed), runID, row.subject, row.condition, row.probe, row.itemId, String(row.sampleIndex)]
            let label = LabelSet.Label(
                id: "L" + StableHash.hex(["label"] + place).prefix(10), origin: LabelSet.Origin(run: runID, slot: slot, item: row.itemId, sample: row.sampleIndex),
                question: questions["\(row.probe)\u{1F}\(row.itemId)"] ?? "", answer: answer, misaligned: nil, incoherent: false)
            bySlot[slot, default: []].append(Candidate(order: StableHash.uint64(["order"] + place), label: label))
        }
        return bySlot.keys.sorted().flatMap { slot in
            bySlot[slot]!.sorted { $0.order < $1.order }.prefix(perSlot).map(\.label)
        }
    }

    /// Writes the file people fill in (shuffled by id) and its key beside it.
    package static func write(_ labels: [LabelSet.Label], to path: String) throws -> Exported {
        let shuffled = labels.sorted { $0.id < $1.id }
        var blind = blindColumns.joined(separator: ",") + "\n"
        var key = keyColumns.joined(separator: ",") + "\n"
        for label in shuffled {
            blind += [label.id, label.question, label.answer, "", "", ""].map(LabelSet.quoted).joined(separator: ",") + "\n"
            let o = label.origin
            key += [label.id, o?.run ?? "", o?.slot.subject ?? "", o?.slot.condition ?? "", o?.slot.probe ?? "", o?.item ?? "", o.map { String($0.sample) } ?? "",
                    SHA256.hex(label.answer)].map(LabelSet.quoted).joined(separator: ",") + "\n"
        }
        let keyPath = keyPath(for: path)
        try Data(blind.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try Data(key.utf8).write(to: URL(fileURLWithPath: keyPath), options: .atomic)
        return Exported(labels: labels.count, slots: Set(labels.compactMap { $0.origin?.slot }).count, keyPath: keyPath)
    }

    /// A labelled file joined with its key (when there is one): labels sampled from a run.
    /// Without a key the labels stand as made elsewhere. An id the key does not know, or an
    /// answer edited after export (its hash differs), is an error naming the line.
    package static func importLabelled(_ path: String, keyPath: String?) throws -> LabelSet {
        var set = try LabelSet.read(path: path)
        guard let keyPath else { return set }
        var reader = try CSVReader(path: keyPath)
        guard let header = reader.next() else { throw LabelError(file: keyPath, line: 1, message: "the key file is empty") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard names == keyColumns else {
            throw LabelError(file: keyPath, line: header.line, message: "not a key written by `ipgate labels export` (its header should be \(keyColumns.joined(separator: ",")))")
        }
        var key: [String: (origin: LabelSet.Origin, hash: String, line: Int)] = [:]
        while let record = reader.next() {
            let f = record.fields
            guard f.count == keyColumns.count, let sample = Int(f[6]) else { throw LabelError(file: keyPath, line: record.line, message: "a key row needs \(keyColumns.count) fields and a whole sample number") }
            key[f[0]] = (LabelSet.Origin(run: f[1], slot: Slot(subject: f[2], condition: f[3], probe: f[4]), item: f[5], sample: sample), f[7], record.line)
        }
        if let stop = reader.stopReason { throw LabelError(file: keyPath, line: stop.line, message: stop.message) }
        for index in set.labels.indices {
            let label = set.labels[index]
            guard let entry = key[label.id] else {
                throw LabelError(file: path, line: 0, message: "label id '\(TextSafety.visible(label.id))' is not in the key \(keyPath); was the file exported with another key?")
            }
            guard SHA256.hex(label.answer) == entry.hash else {
                throw LabelError(file: path, line: 0, message: "the answer of label '\(TextSafety.visible(label.id))' was changed after export (its SHA-256 differs from the key's, line \(entry.line)); labels must be of the answer the judge saw")
            }
            set.labels[index].origin = entry.origin
        }
        return set
    }
}
