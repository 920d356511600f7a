/// The problems found while reading a data file, each with its file and line:
/// the first twelve are kept to show, all are counted.
struct RowProblems {
    private(set) var shown: [String] = []
    private(set) var count = 0
    /// The file being read, for the next problems.
    var file = ""

    mutating func add(_ line: Int, _ message: String) {
        count += 1
        if shown.count < 12 { shown.append("\(file):\(line): \(message)") }
    }

    /// Throws, listing them, when there are any: nothing of the file is used then.
    /// - Parameters: `noun` names one line of the file (`record`, `row`), `source` the data (`data set 'em'`).
    func check(_ noun: String, of source: String) throws {
        guard count > 0 else { return }
        throw RecordedDataReader.Failure(message: "\(count) \(noun)\(count == 1 ? "" : "s") of \(source) cannot be used (nothing was imported):\n  "
            + shown.joined(separator: "\n  ") + (count > shown.count ? "\n  … and \(count - shown.count) more" : ""))
    }
}
