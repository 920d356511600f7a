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
                throw reported(error)
            }
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete cached answers older than some days (--older-than), or all of them (--all).",
            discussion: "Without a filter it asks first on a terminal and refuses elsewhere: a deleted answer costs a model call to get back.")
        @Option(help: "Only answers older than this many days.") var olderThan: Double?
        @Flag(help: "Delete every cached answer (needed without --older-than when not asked on a terminal).") var all = false
        @OptionGroup var rootOptions: RootOptions

        func validate() throws {
            if all && olderThan != nil { throw ValidationError("--all and --older-than exclude each other") }
        }

        func run() async throws {
            let project = try rootOptions.project()
            if olderThan == nil && !all {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw fail("ipgate: cache prune without --older-than deletes every cached answer; pass --all to mean that")
                }
                FileHandle.standardError.write(Data("Delete every cached answer in \(project.root.runs)? Getting them back means asking the models again. [y/N] ".utf8))
                guard let reply = readLine(), ["y", "yes"].contains(reply.lowercased()) else {
                    throw fail("ipgate: nothing deleted", code: 1)
                }
            }
            do {
                let runs = try project.runs()
                let cutoff = olderThan.map { Date().addingTimeInterval(-$0 * 86_400) }
                print("deleted \(try runs.pruneCache(before: cutoff)) cached answers")
            } catch {
                throw reported(error)
            }
        }
    }
}
