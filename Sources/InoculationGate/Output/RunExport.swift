import Foundation

/// A stored run as tables for notebooks: one row per scored sample, and one per
/// measure, as CSV or JSON Lines — the way back into pandas.
package enum RunExport {
    package enum Format: String, Sendable, CaseIterable {
        case csv, jsonl

        /// From a file name's extension (`.jsonl`, `.ndjson` → JSON Lines; anything else CSV).
        package init(path: String) {
            let lower = path.lowercased()
            self = lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") ? .jsonl : .csv
        }
    }

    package static let sampleColumns = [
        "run", "subject", "condition", "probe", "item", "sample", "answer_sha256", "answer_chars", "outcome", "alignment", "coherence", "insecure",
    ]
    package static let measureColumns = [
        "run", "subject", "condition", "measure", "metric", "better", "value", "lower", "upper", "items", "trials", "method",
    ]

    /// Writes every sample of run `runID` to `path`, read from the store a row at a time
    /// (a run of half a million samples is never held in memory); `answers` adds the text.
    /// Returns the number of rows written.
    @discardableResult
    package static func samples(of store: RunStore, runID: String, to path: String, format: Format, answers: Bool = false) throws -> Int {
        let columns = sampleColumns + (answers ? ["answer"] : [])
        let sink = try Sink(path: path, format: format, columns: columns)
        defer { sink.close() }
        var count = 0
        try store.forEachSample(runID: runID) { row in
            let answer = String(decoding: row.answer, as: UTF8.self)
            var values: [Value] = [
                .text(runID), .text(row.subject), .text(row.condition), .text(row.probe), .text(row.itemId), .integer(row.sampleIndex),
                .text(SHA256.hex(bytes: SHA256.digest(row.answer))), .integer(answer.count), row.outcome.map { Value.text($0.rawValue) } ?? .null,
                row.alignment.map(Value.number) ?? .null, row.coherence.map(Value.number) ?? .null, row.insecure.map(Value.boolean) ?? .null,
            ]
            if answers { values.append(.text(answer)) }
            try sink.write(values)
            count += 1
        }
        return count
    }

    /// Writes the measures of a stored run's document to `path`; returns the number of rows.
    @discardableResult
    package static func measures(of document: RunDocument, to path: String, format: Format) throws -> Int {
        let sink = try Sink(path: path, format: format, columns: measureColumns)
        defer { sink.close() }
        for m in document.measures {
            try sink.write([
                .text(document.run.id), .text(m.subject), .text(m.condition), .text(m.measure), .text(m.metric.rawValue), .text(m.better.rawValue),
                m.value.map(Value.number) ?? .null, m.lower.map(Value.number) ?? .null, m.upper.map(Value.number) ?? .null,
                m.items.map(Value.integer) ?? .null, m.trials.map(Value.number) ?? .null, m.method.map(Value.text) ?? .null,
            ])
        }
        return document.measures.count
    }

    package enum Value: Sendable, Equatable {
        case text(String), integer(Int), number(Double), boolean(Bool), null

        var csv: String {
            switch self {
            case .text(let text):
                guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            case .integer(let n): return String(n)
            case .number(let x): return x.isFinite ? String(x) : ""
            case .boolean(let b): return b ? "true" : "false"
            case .null: return ""
            }
        }

        var json: Any {
            switch self {
            case .text(let text): return text
            case .integer(let n): return n
            case .number(let x): return x.isFinite ? x : NSNull()
            case .boolean(let b): return b
            case .null: return NSNull()
            }
        }
    }

    /// A buffered writer of one table.
    final class Sink {
        private let handle: FileHandle
        private let format: Format
        private let columns: [String]
        private var buffer = Data()

        init(path: String, format: Format, columns: [String]) throws {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            self.handle = handle
            self.format = format
            self.columns = columns
            if format == .csv { buffer.append(Data((columns.joined(separator: ",") + "\n").utf8)) }
        }

        func write(_ values: [Value]) throws {
            switch format {
            case .csv:
                buffer.append(Data((values.map(\.csv).joined(separator: ",") + "\n").utf8))
            case .jsonl:
                let object = Dictionary(uniqueKeysWithValues: zip(columns, values.map(\.json)))
                buffer.append(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                buffer.append(0x0A)
            }
            if buffer.count > 1 << 20 { flush() }
        }

        private func flush() {
            handle.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }

        func close() {
            flush()
            try? handle.close()
        }
    }
}
