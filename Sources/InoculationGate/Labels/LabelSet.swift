import Foundation

/// Answers labelled by people: the ground truth a judge is measured against.
///
/// Stored as CSV beside the suite (`Suites/labels/…`) and reviewed in diffs like
/// probe data. One row per answer:
///
/// `label_id, run, subject, condition, probe, item, sample, question, answer, misaligned, incoherent, notes`
///
/// `run` … `sample` say where the answer came from when it was sampled from a stored
/// run by `ipgate labels export`; they are empty for labels made elsewhere (a
/// published hand-labelled set), which are then *not* a random sample of any run.
/// `incoherent` is `yes` or `no`; `misaligned` is `yes` or `no`, and may stay empty
/// for an incoherent answer.
package struct LabelSet: Sendable, Hashable {
    /// One labelled answer.
    package struct Label: Sendable, Hashable {
        package var id: String
        /// Where the answer was sampled from; nil for labels made elsewhere.
        package var origin: Origin?
        package var question: String
        package var answer: String
        /// The person's verdict; nil only for an incoherent answer.
        package var misaligned: Bool?
        package var incoherent: Bool
        package var notes: String

        /// Truly misaligned in the sense the misaligned rate counts: coherent and misaligned.
        package var isMisaligned: Bool { !incoherent && misaligned == true }

        package init(id: String, origin: Origin? = nil, question: String, answer: String, misaligned: Bool?, incoherent: Bool, notes: String = "") {
            self.id = id
            self.origin = origin
            self.question = question
            self.answer = answer
            self.misaligned = misaligned
            self.incoherent = incoherent
            self.notes = notes
        }
    }

    /// The stored run and sample a label's answer was drawn from.
    package struct Origin: Sendable, Hashable {
        package var run: String
        package var slot: Slot
        package var item: String
        package var sample: Int

        package init(run: String, slot: Slot, item: String, sample: Int) {
            self.run = run
            self.slot = slot
            self.item = item
            self.sample = sample
        }
    }

    package var labels: [Label]

    package init(labels: [Label]) { self.labels = labels }

    package static let columns = [
        "label_id", "run", "subject", "condition", "probe", "item", "sample", "question", "answer", "misaligned", "incoherent", "notes",
    ]

    /// Whether every label was sampled from one stored run (so the set is a random sample of it).
    package var sampledRun: String? {
        let runs = Set(labels.map { $0.origin?.run })
        guard runs.count == 1, let run = runs.first else { return nil }
        return run
    }

    /// Reads a label file. Rows without a verdict, unknown verdict words, duplicate ids
    /// and missing columns are errors naming the file and line.
    package static func read(path: String) throws -> LabelSet {
        // Refuses a FIFO, a device or a folder with what it is, before reading.
        let handle = try RegularFile.open(path)
        try? handle.close()
        var reader = try CSVReader(path: path)
        guard let header = reader.next() else { throw LabelError(file: path, line: 1, message: "the file is empty; a label file starts with the header \(columns.joined(separator: ","))") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        for required in ["answer", "misaligned", "incoherent"] where index[required] == nil {
            throw LabelError(file: path, line: header.line, message: "no '\(required)' column; a label file needs at least answer, misaligned and incoherent (found: \(TextSafety.visible(names.prefix(12).joined(separator: ", "))))")
        }
        var labels: [Label] = []
        var seen: [String: Int] = [:]
        while let record = reader.next() {
            func field(_ name: String) -> String {
                guard let position = index[name], position < record.fields.count else { return "" }
                return record.fields[position]
            }
            func fail(_ message: String) -> LabelError { LabelError(file: path, line: record.line, message: message) }
            let incoherent = try verdict(field("incoherent"), column: "incoherent", fail: fail)
            let misalignedText = field("misaligned")
            let misaligned: Bool?
            if misalignedText.trimmingCharacters(in: .whitespaces).isEmpty, incoherent == true {
                misaligned = nil
            } else {
                misaligned = try verdict(misalignedText, column: "misaligned", fail: fail)
            }
            guard let incoherent else { throw fail("'incoherent' is empty; write yes or no") }
            if misaligned == nil && !incoherent { throw fail("'misaligned' is empty; write yes or no (it may stay empty only for an incoherent answer)") }
            let id = field("label_id").isEmpty ? "row-\(record.line)" : field("label_id")
            if let first = seen[id] { throw fail("label id '\(TextSafety.visible(id))' appears again (first on line \(first))") }
            seen[id] = record.line
            var origin: Origin?
            let run = field("run")
            if !run.isEmpty {
                guard let sample = Int(field("sample")), !field("subject").isEmpty, !field("condition").isEmpty, !field("probe").isEmpty, !field("item").isEmpty else {
                    throw fail("a label with a run needs subject, condition, probe, item and sample (a whole number)")
                }
                origin = Origin(run: run, slot: Slot(subject: field("subject"), condition: field("condition"), probe: field("probe")), item: field("item"), sample: sample)
            }
            labels.append(Label(id: id, origin: origin, question: field("question"), answer: field("answer"), misaligned: misaligned, incoherent: incoherent, notes: field("notes")))
        }
        if let stop = reader.stopReason { throw LabelError(file: path, line: stop.line, message: stop.message) }
        guard !labels.isEmpty else { throw LabelError(file: path, line: header.line, message: "the file has a header but no labelled answers") }
        return LabelSet(labels: labels)
    }

    private static func verdict(_ text: String, column: String, fail: (String) -> LabelError) throws -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "": return nil
        case "yes", "y", "1", "true": return true
        case "no", "n", "0", "false": return false
        default: throw fail("'\(column)' is '\(TextSafety.visible(String(text.prefix(40))))'; write yes or no")
        }
    }

    /// The file's text: the header, then one row per label.
    package var csv: String {
        var text = Self.columns.joined(separator: ",") + "\n"
        for label in labels {
            let origin = label.origin
            let values: [String] = [
                label.id, origin?.run ?? "", origin?.slot.subject ?? "", origin?.slot.condition ?? "", origin?.slot.probe ?? "",
                origin?.item ?? "", origin.map { String($0.sample) } ?? "", label.question, label.answer,
                label.misaligned.map { $0 ? "yes" : "no" } ?? "", label.incoherent ? "yes" : "no", label.notes,
            ]
            text += values.map(Self.quoted).joined(separator: ",") + "\n"
        }
        return text
    }

    /// A CSV field, quoted when it holds a comma, a quote, a line break or edge spaces.
    package static func quoted(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) || value.hasPrefix(" ") || value.hasSuffix(" ") else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A label file that cannot be read: which file, which line, what is wrong.
package struct LabelError: Error, Sendable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var message: String

    package var description: String { line > 0 ? "\(TextSafety.visible(file)):\(line): \(message)" : "\(TextSafety.visible(file)): \(message)" }
}
