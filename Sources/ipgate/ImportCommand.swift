import ArgumentParser
import Foundation
import InoculationGate

/// `ipgate import`: reads a suite's recorded data sets and says what they hold.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Check the recorded data sets a suite imports (CSV or JSON Lines through a column mapping) and summarise them.",
        discussion: """
            A suite imports answers produced elsewhere with subjects `{provider: recorded, data: NAME}` and a \
            `recorded:` section mapping the file's columns (see the README). This reads every data set the way \
            `ipgate run` will — every problem with its file and line — and prints what each holds. Exits 2 when a \
            data set cannot be used.
            """)

    @Argument(help: "The suite file.") var suite: String
    @OptionGroup var rootOptions: RootOptions
    @OptionGroup var profileOptions: ProfileOptions

    func run() async throws {
        let project = try rootOptions.project()
        let loaded = try loadSuite(suite, in: project, profile: profileOptions)
        guard !loaded.recorded.isEmpty else { throw fail("ipgate: suite '\(loaded.name)' imports no recorded data (no 'recorded:' section)") }
        var table = TextTable(header: ["data set", "file", "records", "used", "subjects × conditions × items × samples (most)", "scores", "skipped (subject not in suite)"])
        for data in loaded.recorded.values.sorted(by: { $0.name < $1.name }) {
            let keys = data.rows.keys
            let shape = [Set(keys.map(\.subject)).count, Set(keys.map(\.condition)).count, Set(keys.map(\.item)).count, (keys.map(\.sample).max() ?? -1) + 1]
            let others = data.skippedBySubject.sorted { $0.key < $1.key }
            let skipped = others.prefix(4).map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                + (others.count > 4 ? ", … (\(others.count) in all, \(others.map(\.value).reduce(0, +)) records)" : "")
            table.add([
                data.name, data.file, String(data.recordsRead), data.usage(probe: loaded.probe(named: data.probe)), shape.map(String.init).joined(separator: " × "),
                data.useScores ? data.mapping.scores.map { "\($0.column) (\($0.meaning.rawValue))" }.joined(separator: ", ") : "scored here",
                skipped.isEmpty ? "—" : skipped,
            ])
        }
        print(table.render())
    }
}
