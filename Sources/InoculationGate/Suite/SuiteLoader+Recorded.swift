import Foundation

extension SuiteLoader {
    static let recordedKeys = ["file", "format", "probe", "columns", "subjects", "conditions", "use_scores", "allow_outside"]
    static let columnKeys = ["subject", "condition", "item", "item_text", "sample", "answer", "scores"]
    static let scoreKeys = ["column", "meaning", "scale"]

    /// Reads the `recorded:` data sets that `recorded` subjects (subject → data set names) use.
    func readRecorded(
        _ reader: YAMLReader?, folder: String, probes: [ProbeSet], conditions: [Condition], users: [String: [String]]
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
            sets[name] = try readDataSet(name, value, folder: folder, probes: probes, conditions: conditions, subjects: subjects)
        }
        for (subject, names) in users.sorted(by: { $0.key < $1.key }) {
            for name in names where sets[name] == nil {
                throw reader.error(Self.dangling("recorded data set", name, known: sets.keys.sorted()) + " (used by subject '\(subject)')")
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
        let fileName = try fileReader.string(what: "file")
        let path = fileName.hasPrefix("/") ? fileName : (folder as NSString).appendingPathComponent(fileName)
        if try fields.optionalBool("allow_outside") != true {
            let base = URL(fileURLWithPath: folder.isEmpty ? "." : folder).standardizedFileURL.resolvingSymlinksInPath().path
            let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            guard target.hasPrefix(base + "/") else {
                throw fileReader.error("the data file '\(fileName)' is outside the suite's folder (\(base)); keep it beside the suite, or set 'allow_outside: true'")
            }
        }
        let format = try fields.optionalString("format") ?? (fileName.lowercased().hasSuffix(".jsonl") ? "jsonl" : "csv")
        guard ["csv", "jsonl"].contains(format) else { throw fields["format"]!.error("'format' must be csv or jsonl") }
        let probeReader = try fields.require("probe")
        let probeName = try probeReader.string(what: "probe")
        guard let probe = probes.first(where: { $0.name == probeName }) else {
            throw probeReader.error(Self.dangling("probe set", probeName, known: probes.map(\.name)))
        }
        let mapping = try readMapping(try fields.require("columns"), fields: fields, conditions: conditions, subjects: subjects)
        let useScores = try fields.optionalBool("use_scores") ?? false
        if useScores && mapping.scores.isEmpty {
            throw fields["use_scores"]!.error("'use_scores' needs at least one score column under columns.scores")
        }
        if !useScores && mapping.answer == nil {
            throw try fields.require("columns").error("without 'use_scores: true' the answers are scored here, so columns.answer is needed")
        }
        var reading = RecordedDataReader(
            name: name, path: path, probe: probe, mapping: mapping, useScores: useScores, subjects: Set(subjects),
            conditions: Set(conditions.map(\.name)))
        do {
            return try reading.read(jsonl: format == "jsonl")
        } catch let problem as RecordedDataReader.Failure {
            throw fileReader.error(problem.message)
        } catch {
            throw fileReader.error("cannot read \(path): \(Self.reason(error))")
        }
    }

    private func readMapping(
        _ reader: YAMLReader, fields: YAMLReader.Fields, conditions: [Condition], subjects: [String]
    ) throws(SuiteError) -> RecordedData.Mapping {
        let columns = try reader.fields(allowed: Self.columnKeys, what: "'columns'")
        var scores: [RecordedData.ScoreColumn] = []
        if let list = columns["scores"] {
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
        let item = try columns.optionalString("item")
        let itemText = try columns.optionalString("item_text")
        guard (item == nil) != (itemText == nil) else {
            throw reader.error("name exactly one of columns.item (matched to the probe items' ids) and columns.item_text (matched to their text)")
        }
        var subjectMap: [String: String] = [:]
        if let map = fields["subjects"] {
            for (fileValue, target) in try map.entries(what: "'subjects'") { subjectMap[fileValue] = try target.string(what: "subject") }
        }
        var conditionMap: [String: String] = [:]
        if let map = fields["conditions"] {
            for (fileValue, target) in try map.entries(what: "'conditions'") {
                let condition = try target.string(what: "condition")
                guard conditions.contains(where: { $0.name == condition }) else {
                    throw target.error(Self.dangling("condition", condition, known: conditions.map(\.name)))
                }
                conditionMap[fileValue] = condition
            }
        }
        let condition = try columns.optionalString("condition")
        if condition == nil && conditions.count > 1 {
            throw reader.error("the suite has \(conditions.count) conditions, so columns.condition must say which column tells them apart")
        }
        return RecordedData.Mapping(
            subject: try columns.string("subject"), condition: condition, item: item, itemText: itemText,
            sample: try columns.optionalString("sample"), answer: try columns.optionalString("answer"), scores: scores,
            subjects: subjectMap, conditions: conditionMap)
    }
}
