import Foundation

extension SuiteLoader {
    static let recordedKeys = ["file", "format", "model", "probe", "columns", "subjects", "conditions", "use_scores", "allow_outside"]
    static let summaryKeys = ["file", "format", "columns", "subjects", "conditions", "measures", "measure", "allow_outside"]
    static let summaryColumnKeys = ["subject", "condition", "measure", "successes", "trials", "rate"]
    static let recordedFormats = ["csv", "jsonl", "inspect", "lm-eval", "summary"]
    /// The columns other harnesses' files have, so their mappings need no `columns:`.
    static let defaultColumns: [String: [String: String]] = [
        "inspect": ["subject": "model", "item": "id", "sample": "sample", "answer": "output"],
        "lm-eval": ["subject": "model", "item": "doc_id", "sample": "sample", "answer": "response"],
    ]
    static let columnKeys = ["subject", "condition", "item", "item_text", "sample", "answer", "scores"]
    static let scoreKeys = ["column", "meaning", "scale"]

    /// Reads the `recorded:` data sets that `recorded` subjects (subject → data set names) use.
    func readRecorded(
        _ reader: YAMLReader?, folder: String, probes: [ProbeSet], measures: [MeasureSpec], conditions: [Condition], users: [String: [String]]
    ) throws(SuiteError) -> [String: RecordedData] {
        guard let reader else {
            if let (subject, _) = users.first {
                throw SuiteError("subject '\(subject)' is recorded, but the suite has no 'recorded:' section naming its data", at: SourceLocation(file: folder, line: 1, column: 1))
            }
            return [:]
        }
        var sets: [String: RecordedData] = [:]
        for (name, value) in try reader.entries(what: "'recorded'") {
            let subjects = users.filter { $0.value.contains(name) }.map(\.key).sorted()
            let format = try value.entries(what: "recorded data set '\(name)'").first { $0.key == "format" }?.value.string(what: "format")
            sets[name] = format == "summary"
                ? try readSummary(name, value, folder: folder, measures: measures, conditions: conditions, subjects: subjects)
                : try readDataSet(name, value, folder: folder, probes: probes, conditions: conditions, subjects: subjects)
        }
        for (subject, names) in users.sorted(by: { $0.key < $1.key }) {
            for name in names where sets[name] == nil {
                throw reader.error(Self.dangling("recorded data set", name, known: sets.keys.sorted()) + " (used by subject '\(subject)')")
            }
            // A subject is known either from published counts or from answers, not both.
            let summaries = names.filter { sets[$0]?.isSummary == true }
            if !summaries.isEmpty {
                guard summaries.count == names.count else {
                    throw reader.error("subject '\(subject)' reads \(names.joined(separator: ", ")): a subject is known from published counts or from answers, not both")
                }
                // Several one-trait tables may share the work; together they must hold every cell.
                var missing: [String] = []
                for condition in conditions {
                    for measure in measures {
                        let key = RecordedData.CellKey(subject: subject, condition: condition.name, measure: measure.name)
                        let holders = summaries.filter { sets[$0]?.cells[key] != nil }
                        if holders.isEmpty { missing.append("\(subject) › \(condition.name) › \(measure.name)") }
                        if holders.count > 1 {
                            throw reader.error("summaries \(holders.joined(separator: " and ")) both give counts for \(subject) › \(condition.name) › \(measure.name); keep one")
                        }
                    }
                }
                if !missing.isEmpty {
                    throw reader.error("the summar\(summaries.count == 1 ? "y" : "ies") \(summaries.joined(separator: ", ")) of subject '\(subject)' have no counts for \(missing.count) cell\(missing.count == 1 ? "" : "s") the suite measures: "
                        + missing.prefix(8).joined(separator: "; ") + (missing.count > 8 ? "; …" : ""))
                }
                continue
            }
            // Every probe set is asked of every subject: a recorded subject needs data for each.
            for probe in probes where !names.contains(where: { sets[$0]?.probe == probe.name }) {
                throw reader.error("subject '\(subject)' is recorded, but none of its data sets (\(names.joined(separator: ", "))) holds answers for probe set '\(probe.name)'")
            }
        }
        return sets
    }

    private func readDataSet(
        _ name: String, _ value: YAMLReader, folder: String, probes: [ProbeSet], conditions: [Condition], subjects: [String]
    ) throws(SuiteError) -> RecordedData {
        let fields = try value.fields(allowed: Self.recordedKeys, what: "recorded data set '\(name)'")
        let fileReader = try fields.require("file")
        let (paths, fileNames) = try dataPaths(fileReader, fields: fields, folder: folder)
        let first = fileNames[0].lowercased()
        let guessed = first.hasSuffix(".jsonl") ? "jsonl" : first.hasSuffix(".eval") || first.hasSuffix(".json") ? "inspect" : "csv"
        let format = try fields.optionalString("format") ?? guessed
        guard Self.recordedFormats.contains(format) else {
            throw fields["format"]!.error("'format' must be one of: \(Self.recordedFormats.joined(separator: ", "))")
        }
        let model = try fields.optionalString("model")
        if format == "lm-eval" && model == nil {
            throw value.error("lm-evaluation-harness sample files do not name their model: say which with 'model:'")
        }
        let probeReader = try fields.require("probe")
        let probeName = try probeReader.string(what: "probe")
        guard let probe = probes.first(where: { $0.name == probeName }) else {
            throw probeReader.error(Self.dangling("probe set", probeName, known: probes.map(\.name)))
        }
        let defaults = Self.defaultColumns[format] ?? [:]
        let columnsReader = defaults.isEmpty ? try fields.require("columns") : fields["columns"]
        let mapping = try readMapping(columnsReader, defaults: defaults, at: value, fields: fields, conditions: conditions, subjects: subjects)
        let useScores = try fields.optionalBool("use_scores") ?? false
        if useScores && mapping.scores.isEmpty {
            throw fields["use_scores"]!.error("'use_scores' needs at least one score column under columns.scores")
        }
        if !useScores && mapping.answer == nil {
            throw value.error("without 'use_scores: true' the answers are scored here, so columns.answer is needed")
        }
        var reading = RecordedDataReader(
            name: name, paths: paths, format: format, model: model, probe: probe, mapping: mapping, useScores: useScores,
            subjects: Set(subjects), conditions: Set(conditions.map(\.name)))
        if format == "inspect" { reading.python = InspectLog.interpreter(environment) }
        do {
            return try reading.read()
        } catch let problem as RecordedDataReader.Failure {
            throw fileReader.error(problem.message)
        } catch {
            throw fileReader.error("cannot read \(paths.joined(separator: ", ")): \(Self.reason(error))")
        }
    }

    /// A map from a file's values to the suite's names (`subjects:`, `conditions:`, `measures:`);
    /// with `known`, every target must be one of them.
    static func valueMap(_ reader: YAMLReader?, what: String, known: [String]? = nil) throws(SuiteError) -> [String: String] {
        guard let reader else { return [:] }
        var map: [String: String] = [:]
        for (fileValue, target) in try reader.entries(what: "'\(what)s'") {
            let name = try target.string(what: what)
            if let known, !known.contains(name) { throw target.error(Self.dangling(what, name, known: known)) }
            map[fileValue] = name
        }
        return map
    }

    /// The data files a data set names (one, or a list), each confined to the suite's folder.
    private func dataPaths(_ fileReader: YAMLReader, fields: YAMLReader.Fields, folder: String) throws(SuiteError) -> (paths: [String], names: [String]) {
        var fileNames: [String] = []
        if let list = try? fileReader.items(what: "file") {
            for entry in list { fileNames.append(try entry.string(what: "file")) }
        } else {
            fileNames = [try fileReader.string(what: "file")]
        }
        guard !fileNames.isEmpty else { throw fileReader.error("'file' names no file") }
        var paths: [String] = []
        for fileName in fileNames {
            let path = fileName.hasPrefix("/") ? fileName : (folder as NSString).appendingPathComponent(fileName)
            if try fields.optionalBool("allow_outside") != true {
                try Self.confine(path, to: folder, named: fileName, at: fileReader, what: "data file", owner: "this data set")
            }
            paths.append(path)
        }
        return (paths, fileNames)
    }

    /// A published summary: k of n (or a rate and n) per subject, condition and trait.
    private func readSummary(
        _ name: String, _ value: YAMLReader, folder: String, measures: [MeasureSpec], conditions: [Condition], subjects: [String]
    ) throws(SuiteError) -> RecordedData {
        let fields = try value.fields(allowed: Self.summaryKeys, what: "summary data set '\(name)'")
        let fileReader = try fields.require("file")
        let (paths, fileNames) = try dataPaths(fileReader, fields: fields, folder: folder)
        let columnsReader = try fields.require("columns")
        let columns = try columnsReader.fields(allowed: Self.summaryColumnKeys, what: "'columns'")
        let measureMap = try Self.valueMap(fields["measures"], what: "measure", known: measures.map(\.name))
        let fixedMeasure = try fields.optionalString("measure")
        if let fixedMeasure, !measures.contains(where: { $0.name == fixedMeasure }) {
            throw fields["measure"]!.error(Self.dangling("measure", fixedMeasure, known: measures.map(\.name)))
        }
        for spec in measures where spec.metric.isMean {
            throw columnsReader.error("measure '\(spec.name)' is a mean score; published summaries give counts (k of n), so only rates can come from them")
        }
        // Wide: one k (or rate) column per measure, `{measure: column}`; long: one row per trait.
        let wide = try Self.wideColumns(columns, measures: measures)
        if wide.isEmpty {
            guard (try columns.optionalString("measure") == nil) != (fixedMeasure == nil) else {
                throw columnsReader.error("say which measure each row counts: columns.measure (a column, mapped under 'measures:'), 'measure:' for the whole file, or one column per measure (rate: {measure: column})")
            }
            let hasRate = try columns.optionalString("rate") != nil
            guard (try columns.optionalString("successes") != nil) != hasRate else {
                throw columnsReader.error("give columns.successes (k) or columns.rate, and columns.trials (n)")
            }
        } else if fixedMeasure != nil || columns["measure"] != nil {
            throw columnsReader.error("a wide table names its measures in rate: or successes: {measure: column}; drop 'measure' and columns.measure")
        }
        let subjectMap = try Self.valueMap(fields["subjects"], what: "subject")
        let conditionMap = try Self.valueMap(fields["conditions"], what: "condition", known: conditions.map(\.name))
        let condition = try columns.optionalString("condition")
        if condition == nil && conditions.count > 1 {
            throw columnsReader.error("the suite has \(conditions.count) conditions, so columns.condition must say which column tells them apart")
        }
        let spec = SummaryReader.Spec(
            subject: try columns.string("subject"), condition: condition, measure: try columns.optionalString("measure"), fixedMeasure: fixedMeasure,
            successes: wide.isEmpty ? try columns.optionalString("successes") : nil, rate: wide.isEmpty ? try columns.optionalString("rate") : nil,
            trials: wide.isEmpty ? try columns.string("trials") : "", subjects: subjectMap, conditions: conditionMap, measures: measureMap, wide: wide)
        var reading = SummaryReader(
            name: name, paths: paths, jsonl: fileNames[0].lowercased().hasSuffix(".jsonl"), spec: spec, subjects: Set(subjects),
            conditions: conditions.map(\.name), measures: measures.map(\.name))
        do {
            return try reading.read()
        } catch let problem as RecordedDataReader.Failure {
            throw fileReader.error(problem.message)
        } catch {
            throw fileReader.error("cannot read \(paths.joined(separator: ", ")): \(Self.reason(error))")
        }
    }

    /// `rate: {measure: column}` or `successes: {measure: column}`, with `trials` one column
    /// or `{measure: column}`; empty for a long table.
    static func wideColumns(_ columns: YAMLReader.Fields, measures: [MeasureSpec]) throws(SuiteError) -> [SummaryReader.WideColumn] {
        let rate = columns["rate"].flatMap { $0.isMapping ? $0 : nil }
        let successes = columns["successes"].flatMap { $0.isMapping ? $0 : nil }
        guard let counts = rate ?? successes else { return [] }
        if rate != nil && successes != nil { throw counts.error("give one of rate: and successes: per measure, not both") }
        let trialsReader = try columns.require("trials")
        let trialsMap = trialsReader.isMapping ? try valueMap(trialsReader, what: "measure") : [:]
        let sharedTrials = trialsReader.isMapping ? nil : try trialsReader.string(what: "trials")
        var result: [SummaryReader.WideColumn] = []
        for (measure, column) in try valueMap(counts, what: "measure").sorted(by: { $0.key < $1.key }) {
            guard measures.contains(where: { $0.name == measure }) else {
                throw counts.error(dangling("measure", measure, known: measures.map(\.name)))
            }
            guard let trials = sharedTrials ?? trialsMap[measure] else {
                throw trialsReader.error("trials: has no column for measure '\(measure)'")
            }
            result.append(SummaryReader.WideColumn(measure: measure, column: column, isRate: rate != nil, trials: trials))
        }
        return result
    }

    private func readMapping(
        _ reader: YAMLReader?, defaults: [String: String], at owner: YAMLReader, fields: YAMLReader.Fields, conditions: [Condition], subjects: [String]
    ) throws(SuiteError) -> RecordedData.Mapping {
        let columns = try reader?.fields(allowed: Self.columnKeys, what: "'columns'")
        func column(_ key: String) throws(SuiteError) -> String? { try columns?.optionalString(key) ?? defaults[key] }
        let reader = reader ?? owner
        var scores: [RecordedData.ScoreColumn] = []
        if let list = columns?["scores"] {
            for entry in try list.items(what: "scores") {
                let score = try entry.fields(allowed: Self.scoreKeys, what: "a score column")
                let meaningReader = try score.require("meaning")
                let meaningText = try meaningReader.string(what: "meaning")
                guard let meaning = RecordedData.Meaning(rawValue: meaningText) else {
                    throw meaningReader.error("unknown meaning '\(meaningText)'; expected one of: \(RecordedData.Meaning.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let scale = try score.optionalDouble("scale") ?? 100
                guard scale > 0 else { throw score["scale"]!.error("'scale' must be above 0 (the score's maximum, e.g. 100 or 1)") }
                scores.append(.init(column: try score.string("column"), meaning: meaning, scale: scale))
            }
        }
        let itemText = try column("item_text")
        let item = itemText == nil ? try column("item") : try columns?.optionalString("item")
        guard (item == nil) != (itemText == nil) else {
            throw reader.error("name exactly one of columns.item (matched to the probe items' ids) and columns.item_text (matched to their text)")
        }
        let subjectMap = try Self.valueMap(fields["subjects"], what: "subject")
        let conditionMap = try Self.valueMap(fields["conditions"], what: "condition", known: conditions.map(\.name))
        let condition = try column("condition")
        if condition == nil && conditions.count > 1 {
            throw reader.error("the suite has \(conditions.count) conditions, so columns.condition must say which column tells them apart")
        }
        guard let subject = try column("subject") else { throw reader.error("columns.subject must say which column names the model") }
        return RecordedData.Mapping(
            subject: subject, condition: condition, item: item, itemText: itemText,
            sample: try column("sample"), answer: try column("answer"), scores: scores,
            subjects: subjectMap, conditions: conditionMap)
    }
}
