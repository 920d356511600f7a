import ArgumentParser
import Foundation
import InoculationGate

/// `ipgate export`: a stored run's samples and measures as tables for pandas.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a stored run's per-sample and per-measure tables as CSV or JSON Lines (default: the newest finished run).",
        discussion: """
            The format follows each file's extension (.jsonl or .ndjson: JSON Lines; otherwise CSV), or --format. \
            Samples: run, subject, condition, probe, item, sample, answer_sha256, answer_chars, outcome, alignment, coherence, \
            insecure (and answer with --answers). Measures: run, subject, condition, measure, metric, better, value, lower, upper, \
            items, trials, method.
              import pandas as pd
              samples = pd.read_csv("samples.csv")
              measures = pd.read_csv("measures.csv")
              print(samples.groupby(["subject", "condition"]).alignment.mean())
              print(measures.pivot_table(index="subject", columns="condition", values="value"))
            """)

    @Option(help: "The run id (default: the newest finished run).") var run: String?
    @Option(help: "Only runs of this suite.") var suite: String?
    @Option(help: ArgumentHelp("Write one row per scored sample.", valueName: "file")) var samples: String?
    @Option(help: ArgumentHelp("Write one row per measure (subject × condition × measure).", valueName: "file")) var measures: String?
    @Option(help: "csv or jsonl (default: from each file's extension).") var format: Format?
    @Flag(help: "Add each answer's text to the sample table (it can be large).") var answers = false
    @OptionGroup var rootOptions: RootOptions

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl }

    func validate() throws {
        if samples == nil && measures == nil { throw ValidationError("name at least one table: --samples FILE and/or --measures FILE") }
    }

    func run() async throws {
        let project = try rootOptions.project()
        do {
            let document = try project.storedDocument(run: run, suite: suite)
            func format(_ path: String) -> RunExport.Format { self.format.flatMap { RunExport.Format(rawValue: $0.rawValue) } ?? RunExport.Format(path: path) }
            if let samples {
                let rows = try RunExport.samples(of: try project.runs(), runID: document.run.id, to: samples, format: format(samples), answers: answers)
                printError("ipgate: wrote \(samples) (\(rows) samples of run \(document.run.id))")
            }
            if let measures {
                let rows = try RunExport.measures(of: document, to: measures, format: format(measures))
                printError("ipgate: wrote \(measures) (\(rows) measures of run \(document.run.id))")
            }
        } catch {
            throw reported(error)
        }
    }
}
