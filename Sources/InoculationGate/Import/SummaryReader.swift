/// Reads a published summary table — k of n (or a rate and n) per subject,
/// condition and trait — into cells, every problem with its line.
struct SummaryReader {
    struct Spec {
        var subject: String
        var condition: String?
        var measure: String?
        var fixedMeasure: String?
        var successes: String?
        var rate: String?
        var trials: String
        var subjects: [String: String]
        var conditions: [String: String]
        var measures: [String: String]
        /// One count column per measure (a wide table); empty for a long one.
        var wide: [WideColumn] = []

        var columns: [String] {
            [subject, condition, measure, successes, rate].compactMap { $0 } + (wide.isEmpty ? [trials] : wide.flatMap { [$0.column, $0.trials] })
        }

        /// The measures this table gives counts for: its one measure, its wide columns', or (long) the suite's.
        func provided(_ suiteMeasures: [String]) -> [String] {
            if let fixedMeasure { return [fixedMeasure] }
            if !wide.isEmpty { return wide.map(\.measure) }
            return suiteMeasures
        }
    }

    /// A measure's column in a wide table: k (or a rate) and n.
    struct WideColumn: Hashable {
        var measure: String
        var column: String
        var isRate: Bool
        var trials: String
    }

    let name: String
    let paths: [String]
    let jsonl: Bool
    let spec: Spec
    let subjects: Set<String>
    let conditions: [String]
    let measures: [String]

    private var problems = RowProblems()

    init(name: String, paths: [String], jsonl: Bool, spec: Spec, subjects: Set<String>, conditions: [String], measures: [String]) {
        self.name = name
        self.paths = paths
        self.jsonl = jsonl
        self.spec = spec
        self.subjects = subjects
        self.conditions = conditions
        self.measures = measures
    }

    private mutating func problem(_ line: Int, _ message: String) { problems.add(line, message) }

    mutating func read() throws -> RecordedData {
        var cells: [RecordedData.CellKey: RecordedData.Cell] = [:]
        var skipped: [String: Int] = [:]
        var hash = ContentHasher(["summary-v1", spec.columns.joined(separator: ","), spec.fixedMeasure ?? "",
                                   spec.wide.map { "\($0.measure)=\($0.column)/\($0.trials)\($0.isRate ? " rate" : "")" }.joined(separator: ","),
                                   spec.subjects.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                                   spec.conditions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                                   spec.measures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")])
        var read = 0
        for file in paths {
            problems.file = file
            var source = try RecordSource(path: file, format: jsonl ? "jsonl" : "csv", model: nil, needed: spec.columns, python: nil)
            while let next = source.next() {
                guard case .record(let line, let record) = next else {
                    if case .problem(let line, let message) = next { problem(line, message) }
                    continue
                }
                read += 1
                hash.add(record.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value ?? "")" })
                func value(_ column: String) -> String { (record[column] ?? nil)?.trimmingCharacters(in: .whitespaces) ?? "" }
                let rawSubject = value(spec.subject)
                let subject = spec.subjects[rawSubject] ?? rawSubject
                guard subjects.contains(subject) else {
                    skipped[rawSubject, default: 0] += 1
                    continue
                }
                var condition = conditions.first ?? "none"
                if let column = spec.condition {
                    condition = spec.conditions[value(column)] ?? value(column)
                    guard conditions.contains(condition) else {
                        problem(line, "'\(value(column))' in column '\(column)' is not a condition of the suite; map it under 'conditions:' (known: \(conditions.joined(separator: ", ")))")
                        continue
                    }
                }
                // The counts this row gives: one (long table) or one per measure column (wide).
                var counts: [(measure: String, successes: String?, rate: String?, trials: String)] = []
                if spec.wide.isEmpty {
                    var measure = spec.fixedMeasure ?? ""
                    if let column = spec.measure {
                        let raw = value(column)
                        guard let mapped = spec.measures[raw] ?? (measures.contains(raw) ? raw : nil) else {
                            // Traits the suite does not measure are counted with the skipped rows.
                            skipped["\(rawSubject) (\(raw))", default: 0] += 1
                            continue
                        }
                        measure = mapped
                    }
                    counts.append((measure, spec.successes, spec.rate, spec.trials))
                } else {
                    counts = spec.wide.map { ($0.measure, $0.isRate ? nil : $0.column, $0.isRate ? $0.column : nil, $0.trials) }
                }
                for count in counts {
                    guard let trials = Double(value(count.trials)), trials > 0, trials == trials.rounded() else {
                        problem(line, "'\(value(count.trials))' in column '\(count.trials)' is not a whole number of answers above 0")
                        continue
                    }
                    let successes: Double
                    if let column = count.successes {
                        guard let k = Double(value(column)), k >= 0, k <= trials, k == k.rounded() else {
                            problem(line, "'\(value(column))' in column '\(column)' is not a whole number from 0 to n (\(Int(trials)))")
                            continue
                        }
                        successes = k
                    } else {
                        let column = count.rate!
                        guard let rate = Double(value(column)), rate >= 0, rate <= 1 else {
                            problem(line, "'\(value(column))' in column '\(column)' is not a rate from 0 to 1")
                            continue
                        }
                        successes = (rate * trials).rounded()
                    }
                    let key = RecordedData.CellKey(subject: subject, condition: condition, measure: count.measure)
                    if let earlier = cells[key] {
                        problem(line, "a second cell for subject '\(subject)', condition '\(condition)', measure '\(count.measure)' (the first is on line \(earlier.line))")
                        continue
                    }
                    cells[key] = RecordedData.Cell(successes: successes, trials: trials, line: line)
                }
            }
        }
        try problems.check("row", of: "summary '\(name)'")
        var missing: [String] = []
        for subject in subjects.sorted() {
            for condition in conditions {
                for measure in spec.provided(measures) where cells[RecordedData.CellKey(subject: subject, condition: condition, measure: measure)] == nil {
                    missing.append("\(subject) › \(condition) › \(measure)")
                }
            }
        }
        if !missing.isEmpty {
            throw RecordedDataReader.Failure(message: "summary '\(name)' has no counts for \(missing.count) cell\(missing.count == 1 ? "" : "s") the suite measures: "
                + missing.prefix(8).joined(separator: "; ") + (missing.count > 8 ? "; …" : ""))
        }
        var data = RecordedData(
            name: name, file: paths.joined(separator: ", "), probe: "", useScores: true,
            mapping: RecordedData.Mapping(subject: spec.subject, condition: spec.condition, item: nil, itemText: nil, sample: nil, answer: nil, scores: [], subjects: spec.subjects, conditions: spec.conditions),
            contentHash: hash.hex, rows: [:], recordsRead: read, skippedBySubject: skipped)
        data.cells = cells
        return data
    }
}
