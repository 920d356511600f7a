import ArgumentParser
import Foundation
import InoculationGate

/// `ipgate batch export|import`: generation on a cluster, through batch files.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Hand the requests of a suite to a batch runner (vLLM's run_batch, a hosted batch API) and take the answers back.",
        subcommands: [Export.self, Import.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every request a live run would send for the answers not yet cached, as an OpenAI batch input file.",
            discussion: """
                The bodies are the live requests' bytes (model, messages, seed, n, temperature, limits); each line's custom_id \
                names its slot and samples. Use the same --profile for export, import and the run: answers are cached \
                under the subject's endpoint and model. With --judge, the LLM judge's requests for answers already imported.
                """)

        @Argument(help: "The suite file.") var suite: String
        @Option(help: ArgumentHelp("Where to write the batch input file.", valueName: "file")) var out: String
        @Option(help: ArgumentHelp("Keep every N-th line starting at the I-th, e.g. 2/4.", valueName: "I/N")) var shard: String?
        @Flag(help: "Export the judge's requests instead of the subjects'.") var judge = false
        @Flag(help: "Export only the next round of an adaptive run (replaying the rounds already imported); repeat after each import until it says the run is complete.")
        var adaptive = false
        @OptionGroup var rootOptions: RootOptions

        func validate() throws {
            if adaptive && judge { throw ValidationError("--adaptive exports the subjects' next round; a judge of an adaptive batch run must answer live") }
        }
        @OptionGroup var profileOptions: ProfileOptions

        func run() async throws {
            let project = try rootOptions.project()
            let loaded = try loadSuite(suite, in: project, profile: profileOptions)
            let part = try Self.parseShard(shard)
            do {
                if adaptive {
                    let summary = try await project.adaptiveBatchExport(loaded, to: out, shard: part)
                    if let complete = summary.adaptiveComplete {
                        print("the adaptive run is complete in the cache (\(complete.rounds) rounds, \(complete.samples) samples): nothing to export; ipgate run \(suite) --adaptive finishes it")
                    } else {
                        print("wrote the next round of the adaptive run: \(summary.lines) request\(summary.lines == 1 ? "" : "s") for \(summary.answers) answers to \(out); import the results and export again")
                    }
                    return
                }
                let summary = try project.batchExport(loaded, to: out, shard: part, judge: judge)
                var line = "wrote \(summary.lines) request\(summary.lines == 1 ? "" : "s") for \(summary.answers) \(judge ? "judge verdicts" : "answers") to \(out)"
                line += "; \(summary.cached) already cached"
                if summary.simulated > 0 { line += "; \(summary.simulated) of simulated subjects (answered locally, never exported)" }
                if summary.awaitingAnswers > 0 { line += "; \(summary.awaitingAnswers) answers to judge are not imported yet" }
                print(line)
            } catch {
                throw reported(error)
            }
        }

        static func parseShard(_ text: String?) throws -> (index: Int, count: Int) {
            guard let text else { return (1, 1) }
            let parts = text.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
                throw ValidationError("--shard takes I/N with 1 ≤ I ≤ N, e.g. 1/4")
            }
            return (parts[0], parts[1])
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read OpenAI batch output files into the response cache (idempotent; unusable lines are listed, the rest kept).")

        @Argument(help: "Batch output files.") var files: [String]
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            let project = try rootOptions.project()
            let summary: GateProject.BatchImportSummary
            do {
                summary = try project.batchImport(files)
            } catch {
                throw reported(error)
            }
            print("imported \(summary.added) answer\(summary.added == 1 ? "" : "s") from \(summary.lines) line\(summary.lines == 1 ? "" : "s"); \(summary.alreadyCached) already cached")
            if summary.fewerChoices > 0 {
                print("\(summary.fewerChoices) line\(summary.fewerChoices == 1 ? "" : "s") came back with fewer samples than asked (the server ignores n): export again for the rest, one sample per request")
            }
            for problem in summary.problems { printError("ipgate: \(problem)") }
            if !summary.problems.isEmpty {
                throw fail("ipgate: \(summary.problems.count) line\(summary.problems.count == 1 ? "" : "s") not imported (listed above); every other answer was kept", code: 1)
            }
        }
    }
}
