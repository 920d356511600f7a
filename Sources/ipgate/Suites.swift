import ArgumentParser
import Foundation
import InoculationGate

struct Suites: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with suite files.", subcommands: [Validate.self])

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check suite files and their probe data; exit non-zero on any error.")

        @Argument(help: "Suite files (default: every suite in Suites/).")
        var paths: [String] = []

        @OptionGroup var rootOptions: RootOptions

        @OptionGroup var profileOptions: ProfileOptions

        func run() async throws {
            let project = try rootOptions.project()
            let files: [String]
            do {
                files = paths.isEmpty ? try project.suiteFiles() : paths
            } catch {
                throw reported(error)
            }
            var failures = 0
            for file in files {
                do {
                    let suite = try project.loadSuite(file, profile: profileOptions.profile, profilesFile: profileOptions.profiles)
                    let items = suite.probes.map(\.items.count).reduce(0, +)
                    print("ok  \(file): suite '\(suite.name)', \(suite.subjects.count) subjects, \(suite.conditions.count) conditions, \(suite.probes.count) probe sets (\(items) items), \(suite.claims.count) claims\(suite.profile.map { ", profile '\($0)'" } ?? "")")
                } catch {
                    failures += 1
                    printError(error.description)
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
