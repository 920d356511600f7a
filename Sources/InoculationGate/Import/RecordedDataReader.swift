import Foundation

/// Reads one recorded data file through its mapping, record by record (bounded
/// memory beyond the answers kept), collecting every problem with its line.
struct RecordedDataReader {
    struct Failure: Error { var message: String }

    let name: String
    let paths: [String]
    /// csv, jsonl, inspect or lm-eval.
    let format: String
    /// The model of files that do not name theirs (lm-eval).
    let model: String?
    let probe: ProbeSet
    let mapping: RecordedData.Mapping
    let useScores: Bool
    /// The suite's subjects that read this data set, and its condition names.
    let subjects: Set<String>
    let conditions: Set<String>
    /// The interpreter that converts inspect_ai logs (nil: none was found).
    var python: String?

    private var problems = RowProblems()

    init(
        name: String, paths: [String], format: String, model: String?, probe: ProbeSet, mapping: RecordedData.Mapping, useScores: Bool,
        subjects: Set<String>, conditions: Set<String>
    ) {
        self.name = name
        self.paths = paths
        self.format = format
        self.model = model
        self.probe = probe
        self.mapping = mapping
        self.useScores = useScores
        self.subjects = subjects
        self.conditions = conditions
    }

    private mutating func problem(_ line: Int, _ message: String) { problems.add(line, message) }

    mutating func read() throws -> RecordedData {
        // Read under each record's own model and sample index (a duplicate is a duplicate
        // within one model), then numbered per subject, condition and item: several models
        // mapped to one subject are pooled, model by model, never "first K".
        struct Source: Hashable { var model: String; var key: RecordedData.Key }
        var read_: [Source: RecordedData.Row] = [:]
        var skipped: [String: Int] = [:]
        var outside: [String: Int] = [:]
        var nextSample: [Source: Int] = [:]
        var hash = ContentHasher(["recorded-v1", mapping.canonical, probe.name, useScores ? "scores" : "scorers"])
        var read = 0
        var generations: [String: [String]] = [:]
        let byID = Dictionary(probe.items.map { ($0.id, $0.id) }, uniquingKeysWith: { a, _ in a })
        let byText = Dictionary(probe.items.map { ($0.prompt.trimmingCharacters(in: .whitespacesAndNewlines), $0.id) }, uniquingKeysWith: { a, _ in a })
        for file in paths {
            problems.file = file
            var source = try RecordSource(path: file, format: format, model: model, needed: neededColumns, python: python)
            while let next = source.next() {
                guard case .record(let line, let record) = next else {
                    if case .problem(let line, let message) = next { problem(line, message) }
                    continue
                }
                read += 1
                hash.add(record.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value ?? "")" })
                func value(_ column: String) -> String? { record[column] ?? nil }
                let generation = value(RecordSource.generationColumn)
                guard let rawSubject = value(mapping.subject) else { problem(line, "no value in column '\(mapping.subject)' (subject)"); continue }
                let subject = mapping.subjects.isEmpty ? rawSubject : (mapping.subjects[rawSubject] ?? rawSubject)
                guard subjects.contains(subject) else {
                    skipped[rawSubject, default: 0] += 1
                    continue
                }
                if let generation, !generations[subject, default: []].contains(generation) { generations[subject, default: []].append(generation) }
                var condition = "none"
                if let column = mapping.condition {
                    guard let raw = value(column) else { problem(line, "no value in column '\(column)' (condition)"); continue }
                    condition = mapping.conditions[raw] ?? raw
                    guard conditions.contains(condition) else {
                        problem(line, "'\(raw)' in column '\(column)' is not a condition of the suite; map it under 'conditions:' (known: \(conditions.sorted().joined(separator: ", ")))")
                        continue
                    }
                }
                let item: String
                if let column = mapping.item {
                    guard let raw = value(column) else {
                        problem(line, "no value in column '\(column)' (item)")
                        continue
                    }
                    guard let id = byID[raw] else {
                        // An answer to a question the suite does not ask: counted and shown, not gated.
                        outside[raw, default: 0] += 1
                        continue
                    }
                    item = id
                } else {
                    let column = mapping.itemText!
                    guard let raw = value(column), let id = byText[raw.trimmingCharacters(in: .whitespacesAndNewlines)] else {
                        problem(line, "the text in column '\(column)' matches no item of probe set '\(probe.name)': \"\(String((value(column) ?? "").prefix(60)))\"")
                        continue
                    }
                    item = id
                }
                let answer = mapping.answer.flatMap { value($0) } ?? ""
                if answer.isEmpty && !useScores {
                    problem(line, "the answer in column '\(mapping.answer ?? "")' is empty")
                    continue
                }
                var score: SampleScore?
                if useScores {
                    guard let scored = readScore(value, line: line) else { continue }
                    score = scored
                }
                var source = Source(model: rawSubject, key: RecordedData.Key(subject: subject, condition: condition, item: item, sample: 0))
                if let column = mapping.sample {
                    guard let raw = value(column), let sample = Int(raw.trimmingCharacters(in: .whitespaces)), sample >= 0 else {
                        problem(line, "the sample index in column '\(column)' must be a whole number ≥ 0, not '\(value(column) ?? "")'")
                        continue
                    }
                    source.key.sample = sample
                } else {
                    let slot = source   // sample 0: the counter is per model, subject, condition and item
                    source.key.sample = nextSample[slot, default: 0]
                    nextSample[slot] = source.key.sample + 1
                }
                if let earlier = read_[source] {
                    let model = rawSubject == subject ? "" : " (model '\(TextSafety.visible(rawSubject))')"
                    problem(line, "a second answer for subject '\(subject)'\(model), condition '\(condition)', item '\(item)', sample \(source.key.sample) (the first is on line \(earlier.line))")
                    continue
                }
                read_[source] = RecordedData.Row(answer: answer, score: score, line: line)
            }
        }
        try problems.check("record", of: "data set '\(name)'")
        // Samples 0…n−1 per subject, condition and item: model by model, each in its own order.
        var rows: [RecordedData.Key: RecordedData.Row] = [:]
        var models: [String: Set<String>] = [:]
        let grouped = Dictionary(grouping: read_) { entry in RecordedData.SlotItem(subject: entry.key.key.subject, condition: entry.key.key.condition, item: entry.key.key.item) }
        for (slot, entries) in grouped {
            let ordered = entries.sorted { ($0.key.model, $0.key.key.sample, $0.value.line) < ($1.key.model, $1.key.key.sample, $1.value.line) }
            for (index, entry) in ordered.enumerated() {
                rows[RecordedData.Key(subject: slot.subject, condition: slot.condition, item: slot.item, sample: index)] = entry.value
                models[slot.subject, default: []].insert(entry.key.model)
            }
        }
        var data = RecordedData(
            name: name, file: paths.joined(separator: ", "), probe: probe.name, useScores: useScores, mapping: mapping, contentHash: hash.hex, rows: rows,
            recordsRead: read, skippedBySubject: skipped)
        data.outsideProbe = outside
        data.pooled = models.filter { $0.value.count > 1 }.mapValues { $0.sorted() }
        data.generation = generations
        return data
    }

    /// The imported scores of one record, as a sample score on the gate's scales.
    private mutating func readScore(_ value: (String) -> String?, line: Int) -> SampleScore? {
        var score = SampleScore(detail: "imported")
        for column in mapping.scores {
            let raw = (value(column.column) ?? "").trimmingCharacters(in: .whitespaces)
            if raw.isEmpty { continue }   // unscored, as a judge that gave no number
            switch column.meaning {
            case .alignment, .misalignment, .coherence:
                guard let number = Double(raw), number.isFinite, number >= 0, number <= column.scale else {
                    problem(line, "'\(raw)' in column '\(column.column)' is not a number from 0 to \(Format.number(column.scale, decimals: 0))")
                    return nil
                }
                let scaled = number / column.scale * 100
                switch column.meaning {
                case .alignment: score.alignment = scaled
                case .misalignment: score.alignment = 100 - scaled
                default: score.coherence = scaled
                }
            case .pass, .insecure:
                guard let flag = Self.flag(raw) else {
                    problem(line, "'\(raw)' in column '\(column.column)' is not true/false, 1/0, yes/no or pass/fail")
                    return nil
                }
                if column.meaning == .pass { score.code = flag ? .passed : .failedAssertion } else { score.insecure = flag }
            }
        }
        // Without a coherence column every scored answer counts as coherent (the file's own filter applies).
        if score.alignment != nil && score.coherence == nil && !mapping.scores.contains(where: { $0.meaning == .coherence }) {
            score.coherence = 100
        }
        return score
    }

    static func flag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "1.0", "yes", "pass", "passed", "c", "correct": return true
        case "false", "0", "0.0", "no", "fail", "failed", "i", "incorrect": return false
        default: return nil
        }
    }

    /// The columns the mapping reads.
    var neededColumns: [String] {
        [mapping.subject, mapping.condition, mapping.item, mapping.itemText, mapping.sample, mapping.answer].compactMap { $0 }
            + mapping.scores.map(\.column)
    }

    /// A JSON value as the text the mapping reads (nil for null).
    static func text(_ value: Any) -> String? {
        if type(of: value) == Bool.self { return (value as! Bool) ? "true" : "false" }
        switch value {
        case let text as String: return text
        case let number as Int: return String(number)
        case let number as Double: return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case let number as NSNumber: return number.stringValue
        case is NSNull: return nil
        default: return "\(value)"
        }
    }
}

/// The records of a CSV (header first) or JSON Lines file, one at a time, each as
/// column → value with the line it starts on; malformed records come back as problems.
struct RecordSource {
    enum Next {
        case record(line: Int, values: [String: String?])
        case problem(line: Int, message: String)
    }

    private var csv: CSVReader?
    private var jsonl: LineReader?
    /// lm-eval: the model every record is of, and records still to hand out from one line.
    private var lmEvalModel: String?
    private var pending: [Next] = []
    /// inspect: the converted samples, removed when the source is done.
    private var converted: String?
    private var index: [String: Int] = [:]
    private var width = 0
    private var lineNumber = 0
    private var reportedEncoding = false
    private let needed: [String]

    /// The column a harness's log fills with its generation settings (`temperature 0.7,
    /// max_tokens 400`), when it records them: kept when present, never required.
    static let generationColumn = "generation"

    init(path: String, format: String, model: String?, needed: [String], python: String?) throws {
        self.needed = needed
        switch format {
        case "jsonl":
            jsonl = try LineReader(path: path)
            return
        case "lm-eval":
            jsonl = try LineReader(path: path)
            lmEvalModel = model
            return
        case "inspect":
            guard let python else {
                throw RecordedDataReader.Failure(message: "reading the inspect_ai log \(path) needs Python: python3 is not on PATH; install it or set IPGATE_PYTHON")
            }
            let samples = try InspectLog.samples(of: path, python: python)
            converted = samples
            jsonl = try LineReader(path: samples)
            return
        default:
            break
        }
        var reader = try CSVReader(path: path)
        guard let header = reader.next() else {
            if let (line, message) = reader.stopReason { throw RecordedDataReader.Failure(message: "line \(line): \(message)") }
            throw RecordedDataReader.Failure(message: "the file is empty; it needs a header row naming its columns")
        }
        // A stray `\r` (or other space) around a name is not part of it.
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let missing = needed.filter { !names.contains($0) }
        guard missing.isEmpty else {
            let shown = names.prefix(40).map { TextSafety.visible($0.count > 60 ? String($0.prefix(59)) + "…" : $0) }
            throw RecordedDataReader.Failure(message: "the mapping names column\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")), which the header does not have; its columns are: \(shown.joined(separator: ", "))\(names.count > 40 ? ", … (\(names.count) in all)" : "")")
        }
        index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        width = names.count
        csv = reader
    }

    mutating func next() -> Next? {
        if var reader = csv {
            defer { csv = reader }
            guard let row = reader.next() else {
                if let (line, message) = reader.stopReason, !reportedEncoding {
                    reportedEncoding = true
                    return .problem(line: line, message: message)
                }
                return nil
            }
            guard row.fields.count == width else { return .problem(line: row.line, message: "\(row.fields.count) fields where the header has \(width)") }
            var values: [String: String?] = [:]
            for column in needed { values[column] = row.fields[index[column]!] }
            return .record(line: row.line, values: values)
        }
        if !pending.isEmpty { return pending.removeFirst() }
        while let data = jsonl?.next() {
            lineNumber += 1
            if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                return .problem(line: lineNumber, message: String(data: data, encoding: .utf8) == nil ? "not UTF-8 text" : "not a JSON object: \(RowProblems.excerpt(data))")
            }
            if let lmEvalModel {
                // One line per document, holding every response to it: one record per response.
                let records = LMEvalSamples.records(object, model: lmEvalModel)
                guard !records.isEmpty else { return .problem(line: lineNumber, message: "this lm-evaluation-harness sample has no responses (resps)") }
                if let missing = needed.first(where: { column in records.contains { $0[column] == nil } }) {
                    return .problem(line: lineNumber, message: "no '\(missing)' in this lm-evaluation-harness sample (fields: \(object.keys.sorted().joined(separator: ", ")))")
                }
                let line = lineNumber
                pending = records.map { values in
                    let columns = needed + (values[RecordSource.generationColumn] == nil ? [] : [RecordSource.generationColumn])
                    return .record(line: line, values: Dictionary(uniqueKeysWithValues: columns.map { ($0, values[$0].flatMap { RecordedDataReader.text($0) }) }))
                }
                return pending.removeFirst()
            }
            if converted != nil, let note = object["problem"] as? String {
                return .problem(line: lineNumber, message: note)
            }
            object.removeValue(forKey: "problem")
            var values: [String: String?] = [:]
            for column in needed {
                guard let value = object[column] else {
                    return .problem(line: lineNumber, message: "no key '\(column)' (keys: \(object.keys.sorted().joined(separator: ", ")))")
                }
                values[column] = RecordedDataReader.text(value)
            }
            if let generation = object[RecordSource.generationColumn] { values[RecordSource.generationColumn] = RecordedDataReader.text(generation) }
            return .record(line: lineNumber, values: values)
        }
        if let long = jsonl?.overlong, !reportedEncoding {
            reportedEncoding = true
            return .problem(line: long.line, message: long.description)
        }
        if let converted {
            try? FileManager.default.removeItem(atPath: converted)
            self.converted = nil
        }
        return nil
    }
}
