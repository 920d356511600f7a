import ArgumentParser
import Foundation
import InoculationGate

struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "The response cache in the local runs database.", subcommands: [Stats.self, Prune.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cached answers per provider.")
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            let project = try rootOptions.project()
            do {
                let runs = try project.runs()
                var table = TextTable(header: ["provider", "answers", "oldest", "newest"])
                for row in try runs.cacheStats() { table.add([row.provider, String(row.answers), row.oldest, row.newest]) }
                print(table.render())
            } catch {
                throw fail("ipgate: \(error)")
            }
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete cached answers (all, or older than some days).")
        @Option(help: "Only answers older than this many days.") var olderThan: Double?
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            let project = try rootOptions.project()
            do {
                let runs = try project.runs()
                let cutoff = olderThan.map { Date().addingTimeInterval(-$0 * 86_400) }
                print("deleted \(try runs.pruneCache(before: cutoff)) cached answers")
            } catch {
                throw fail("ipgate: \(error)")
            }
        }
    }
}
