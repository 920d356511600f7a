import ArgumentParser
import Foundation
import InoculationGate

struct Baseline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and deliberately update the accepted baselines.",
        subcommands: [Accept.self, Diff.self, Show.self, History.self])

    /// Picks a run: the given id, else the newest finished run (of a suite, if named).
    struct RunChoice: ParsableArguments {
        @Option(help: "The run id (default: the newest finished run).")
        var run: String?

        @Option(help: "Only this suite.")
        var suite: String?

        func measures(_ runs: RunStore) throws -> (String, [MeasureResult]) {
            let id: String
            if let run {
                id = run
            } else {
                guard let newest = try runs.runs(suite: suite).first(where: { $0.status == "finished" }) else { throw StoreError.noRuns }
                id = newest.id
            }
            var measures = try runs.measures(runID: id)
            if let suite { measures = measures.filter { $0.key.suite == suite } }
            return (id, measures)
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept a run's measures as the new baselines and rewrite the text dump.")
        @OptionGroup var choice: RunChoice
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            do {
                let root = try rootOptions.locate()
                let (id, measures) = try choice.measures(RunStore(path: root.runs))
                let store = try BaselineStore(path: root.baselines)
                var accepted = 0
                for measure in measures where measure.estimate != nil {
                    try store.record(measure, runID: id, gitCommit: root.gitCommit(), reason: "accept")
                    accepted += 1
                }
                try store.writeDump()
                print("accepted \(accepted) measures from run \(id) into \(root.baselines)")
            } catch {
                throw fail("ipgate: \(error)")
            }
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what accepting a run would change.")
        @OptionGroup var choice: RunChoice
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            do {
                let root = try rootOptions.locate()
                let (id, measures) = try choice.measures(RunStore(path: root.runs))
                let store = try BaselineStore(path: root.baselines)
                var table = TextTable(header: ["measure", "baseline", "run \(id)", "delta", "note"])
                var changed = 0
                for measure in measures {
                    let stored = try store.baseline(for: measure.key)
                    let current = measure.estimate?.value
                    let delta = current.flatMap { c in stored.map { c - $0.record.value } }
                    let changes = stored.map { measure.fingerprint.changes(from: $0.record.fingerprint) } ?? []
                    let note = stored == nil ? "new" : (!changes.isEmpty ? "fingerprint changed" : (abs(delta ?? 0) > 1e-12 ? "changed" : ""))
                    if !note.isEmpty { changed += 1 }
                    table.add([measure.key.description, Format.number(stored?.record.value), Format.number(current), Format.signed(delta), note])
                }
                print(table.render())
                print("\(changed) of \(measures.count) baselines would change")
            } catch {
                throw fail("ipgate: \(error)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accepted baselines.")
        @Option(help: "Only this suite.") var suite: String?
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            do {
                let store = try BaselineStore(path: try rootOptions.locate().baselines)
                var table = TextTable(header: ["measure", "value", "95% interval", "items", "run", "commit"])
                for stored in try store.all(suite: suite) {
                    let r = stored.record
                    table.add([r.key.description, Format.number(r.value), "[\(Format.number(r.lower)), \(Format.number(r.upper))]", String(r.n), r.runId, r.gitCommit ?? "—"])
                }
                print(table.render())
            } catch {
                throw fail("ipgate: \(error)")
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show accepted baseline changes, newest first.")
        @Option(help: "Only this suite.") var suite: String?
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            do {
                let store = try BaselineStore(path: try rootOptions.locate().baselines)
                var table = TextTable(header: ["when", "measure", "from", "to", "why", "run", "commit"])
                for h in try store.history(suite: suite) {
                    table.add([h.recordedAt, "\(h.suite) › \(h.subject) › \(h.condition) › \(h.measure)", Format.number(h.previousValue), Format.number(h.value), h.reason, h.runId, h.gitCommit ?? "—"])
                }
                print(table.render())
            } catch {
                throw fail("ipgate: \(error)")
            }
        }
    }
}
