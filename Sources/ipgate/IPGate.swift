import ArgumentParser
import Foundation
import InoculationGate

@main
struct IPGate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipgate",
        abstract: "A regression gate for inoculation prompting: does the skill transfer without the prompt, and does the misalignment stay away?",
        subcommands: [Run.self, Suites.self, Baseline.self, PowerCommand.self, BenchCommand.self, CacheCommand.self])
}

/// Options shared by commands that touch the project's folders.
struct RootOptions: ParsableArguments {
    @Option(help: "The folder holding Suites/ and Baselines/ (default: IPGATE_ROOT, else the nearest folder above with a Package.swift).")
    var root: String?

    func locate() throws -> ProjectRoot {
        if let root { return ProjectRoot(path: root) }
        return try ProjectRoot.locate(from: FileManager.default.currentDirectoryPath + "/")
    }
}

/// Prints a user-facing error without a stack trace and exits with `code`.
func fail(_ message: String, code: Int32 = 2) -> ExitCode {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    return ExitCode(code)
}

/// Loads a suite, turning a suite error into its located message and exit code 2.
func loadSuite(_ path: String, profile: ProfileOptions? = nil) throws -> Suite {
    let loader = try profile?.loader(for: path) ?? SuiteLoader()
    do {
        return try loader.load(path: path)
    } catch {
        throw fail(error.description)
    }
}
