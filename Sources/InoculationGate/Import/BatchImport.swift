import Foundation

extension GateProject {
    /// What `batchImport` did.
    package struct BatchImportSummary: Sendable, Hashable {
        /// One line that could not be imported: where, which request, and why.
        package struct Problem: Sendable, Hashable, CustomStringConvertible {
            package var file: String
            package var line: Int
            package var customID: String?
            package var reason: String

            package var description: String { "\(file):\(line): \(customID.map { "\($0): " } ?? "")\(reason)" }
        }

        package var lines = 0
        /// Answers (and judge verdicts) written to the response cache.
        package var added = 0
        /// Answers that were cached already (importing twice adds nothing).
        package var alreadyCached = 0
        /// Lines whose endpoint answered a request for several samples with fewer:
        /// the missing samples are exported one at a time next time.
        package var fewerChoices = 0
        package var problems: [Problem] = []
    }

    /// Reads OpenAI batch output files into the response cache. Every line is matched by
    /// its `custom_id` to a line `batchExport` wrote, so order does not matter; lines that
    /// cannot be used are listed (file, line, custom id, why) and the rest are kept.
    package func batchImport(_ paths: [String]) throws -> BatchImportSummary {
        let store = try runs()
        var summary = BatchImportSummary()
        for path in paths {
            let reader: LineReader
            do {
                reader = try LineReader(path: path)
            } catch {
                summary.problems.append(.init(file: path, line: 0, customID: nil, reason: "cannot read the file: \(error)"))
                continue
            }
            var lines = reader
            defer {
                if let long = lines.overlong { summary.problems.append(.init(file: path, line: long.line, customID: nil, reason: long.description)) }
            }
            while let data = lines.next() {
                let index = lines.lineNumber - 1
                if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                summary.lines += 1
                let problem = { (id: String?, reason: String) in
                    summary.problems.append(.init(file: path, line: index + 1, customID: id, reason: reason))
                }
                guard let line = try? JSONDecoder().decode(BatchFormat.OutputLine.self, from: data) else {
                    problem(nil, "not a JSON object of the batch output format")
                    continue
                }
                guard let id = line.custom_id else {
                    problem(nil, "no custom_id")
                    continue
                }
                guard let record = try store.batchRequest(id) else {
                    problem(id, "no exported request has this custom_id (was it exported from this project's runs database?)")
                    continue
                }
                if let error = line.error, error.code != nil || error.message != nil {
                    problem(id, "the batch reports an error: \([error.code, error.message].compactMap { $0 }.joined(separator: ": "))")
                    continue
                }
                guard let status = line.response?.status_code, (200..<300).contains(status) else {
                    problem(id, "the request failed with HTTP \(line.response?.status_code.map(String.init) ?? "?")")
                    continue
                }
                guard let body = (try? JSONDecoder().decode(BatchFormat.OutputBody.self, from: data))?.response?.body else {
                    problem(id, "the response body is not a chat completion")
                    continue
                }
                let texts: [String?]
                switch record.kind {
                case .answers:
                    // Sample k is the choice whose `index` is k: never shifted past a gap or a reordering.
                    texts = body.contents(n: record.keys.count)
                    if body.choices.count < record.keys.count, texts.contains(where: { $0 != nil }) {
                        summary.fewerChoices += 1
                        try store.noteIgnoresN(record.provider)
                    }
                    let gaps = texts.indices.filter { texts[$0] == nil && $0 < body.choices.count }
                    if !gaps.isEmpty, texts.contains(where: { $0 != nil }) {
                        problem(id, "choice\(gaps.count == 1 ? "" : "s") \(gaps.map(String.init).joined(separator: ", ")) \(gaps.count == 1 ? "has" : "have") no message content; the other samples were imported, export again for the rest")
                    }
                case .judge:
                    guard let logprobs = LogprobJudge.topLogprobs(in: body) else {
                        problem(id, "the judge's answer has no log-probabilities")
                        continue
                    }
                    texts = [String(decoding: try JSONEncoder().encode(logprobs), as: UTF8.self)]
                }
                guard texts.contains(where: { $0 != nil }) else {
                    problem(id, "the answer has no message content")
                    continue
                }
                for (key, text) in zip(record.keys, texts) {
                    guard let text else { continue }
                    if try store.cachedAnswer(key) != nil {
                        summary.alreadyCached += 1
                    } else {
                        try store.storeAnswer(text, key: key, provider: record.provider)
                        summary.added += 1
                    }
                }
            }
        }
        return summary
    }
}
