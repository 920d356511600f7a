import ArgumentParser
import Foundation
import InoculationGate

struct Baseline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and deliberately update the accepted baselines.",
        subcommands: [Accept.self, Diff.self, Show.self, History.self, Dump.self])

    /// Picks a run: the given id, else the newest finished run (of a suite, if named).
    struct RunChoice: ParsableArguments {
        @Option(help: "The run id (default: the newest finished run).")
        var run: String?

        @Option(help: "Only this suite.")
        var suite: String?
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept a run's measures as the new baselines and rewrite the text dump (refused when CI is set).")
        @OptionGroup var choice: RunChoice
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            let project = try rootOptions.project()
            do {
                let (id, accepted, unchanged) = try await project.accept(run: choice.run, suite: choice.suite)
                if accepted == 0 {
                    print("nothing to accept: all \(unchanged) measures of run \(id) match their baselines")
                } else {
                    print("accepted \(accepted) changed measure\(accepted == 1 ? "" : "s") from run \(id) into \(project.root.baselines); \(unchanged) unchanged left as they were")
                }
            } catch {
                throw reported(error)
            }
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what accepting a run would change.")
        @OptionGroup var choice: RunChoice
        @OptionGroup var rootOptions: RootOptions
        @Flag(help: "List unchanged rows too.") var allRows = false

        func run() async throws {
            let project = try rootOptions.project()
            do {
                try Baseline.noteDump(project)
                print(BaselineDiffReport(try project.diff(run: choice.run, suite: choice.suite), allRows: allRows).render(), terminator: "")
            } catch {
                throw reported(error)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accepted baselines.")
        @Option(help: "Only this suite.") var suite: String?
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            let project = try rootOptions.project()
            do {
                try Baseline.noteDump(project)
                var table = TextTable(header: ["measure", "value", "95% interval", "items", "run", "commit"])
                for stored in try project.existingBaselineStore()?.all(suite: suite) ?? [] {
                    let r = stored.record
                    table.add([r.key.description, Format.number(r.value), "[\(Format.number(r.lower)), \(Format.number(r.upper))]", String(r.n), r.runId, r.gitCommit ?? "—"])
                }
                print(table.render())
            } catch {
                throw reported(error)
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show accepted baseline changes, newest first.")
        @Option(help: "Only this suite.") var suite: String?
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            let project = try rootOptions.project()
            do {
                try Baseline.noteDump(project)
                var table = TextTable(header: ["when", "measure", "from", "to", "why", "run", "commit"])
                for h in try project.existingBaselineStore()?.history(suite: suite) ?? [] {
                    table.add([h.recordedAt, "\(h.suite) › \(h.subject) › \(h.condition) › \(h.measure)", Format.number(h.previousValue), Format.number(h.value), h.reason, h.runId, h.gitCommit ?? "—"])
                }
                print(table.render())
            } catch {
                throw reported(error)
            }
        }
    }

    struct Dump: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite Baselines/baselines.txt from the database (refused when CI is set).",
            discussion: "Every door checks that the dump says what the database holds; this rewrites it on purpose.")
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            let project = try rootOptions.project()
            do {
                print(try project.rewriteBaselineDump())
            } catch {
                throw reported(error)
            }
        }
    }

    /// Says (on standard error) when the dump had drifted from the database and was rewritten;
    /// on CI the drift is an error.
    static func noteDump(_ project: GateProject) throws {
        if let note = try project.checkBaselineDump() { printError("ipgate: \(note)") }
    }
}
