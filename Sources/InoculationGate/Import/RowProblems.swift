/// The problems found while reading a data file, each with its file and line:
/// the first twelve are kept to show, all are counted.
struct RowProblems {
    private(set) var shown: [String] = []
    private(set) var count = 0
    /// The file being read, for the next problems.
    var file = ""

    mutating func add(_ line: Int, _ message: String) {
        count += 1
        // A message may quote what the file holds: one line, controls visible, bounded.
        let message = TextSafety.visible(message.count > 400 ? String(message.prefix(399)) + "…" : message)
        if shown.count < 12 { shown.append("\(TextSafety.visible(file)):\(line): \(message)") }
    }

    /// At most `length` characters of a record, as a quoted, one-line excerpt.
    static func excerpt(_ data: some Collection<UInt8>, length: Int = 60) -> String {
        let text = String(decoding: data.prefix(length * 4), as: UTF8.self)
        let cut = text.count > length ? String(text.prefix(length - 1)) + "…" : text
        return "'" + TextSafety.visible(cut) + "'"
    }

    /// Throws, listing them, when there are any: nothing of the file is used then.
    /// - Parameters: `noun` names one line of the file (`record`, `row`), `source` the data (`data set 'em'`).
    func check(_ noun: String, of source: String) throws {
        guard count > 0 else { return }
        throw RecordedDataReader.Failure(message: "\(count) \(noun)\(count == 1 ? "" : "s") of \(source) cannot be used (nothing was imported):\n  "
            + shown.joined(separator: "\n  ") + (count > shown.count ? "\n  … and \(count - shown.count) more" : ""))
    }
}
