import ArgumentParser
import Foundation
import InoculationGate

@main
struct IPGate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipgate",
        abstract: "A regression gate for inoculation prompting: does the skill transfer without the prompt, and does the misalignment stay away?",
        version: IPGate.version,
        subcommands: [InitCommand.self, Run.self, ReportCommand.self, Suites.self, Baseline.self, PowerCommand.self, ImportCommand.self, ExportCommand.self, LabelsCommand.self, BatchCommand.self, BenchCommand.self, CacheCommand.self])
}

extension IPGate {
    /// This tool's version (`ipgate --version`); run documents name their schema separately.
    static let version = "0.20.0"

    /// Runs the command; a ``ToolError`` is printed as its sentence alone and ends the
    /// process with its exit code (everything else as ArgumentParser does: usage errors 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as ToolError {
            printError(error.message)
            Foundation.exit(error.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}

/// A failure the tool reports in one sentence, with the exit code it ends with: 2 for
/// bad input or a failed run (the default), 1 when the gate itself failed.
struct ToolError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32 = 2
    var description: String { message }
}

/// Options shared by commands that touch the project's folders.
struct RootOptions: ParsableArguments {
    @Option(help: "The folder holding Suites/ and Baselines/ (default: IPGATE_ROOT, else the nearest folder at or above this one with a Suites/ folder).")
    var root: String?

    /// The project, under this process's environment; a bad root or record mode exits 2 with its message.
    func project() throws -> GateProject {
        do {
            return try GateProject(root: root, searchingFrom: FileManager.default.currentDirectoryPath, environment: GateProject.processEnvironment)
        } catch {
            throw reported(error)
        }
    }
}

/// What to do next, in this tool's words.
func nextSteps(runID: String) -> NextSteps {
    NextSteps(
        investigate: "read the flipped items and answer excerpts above (run \(runID)); `ipgate baseline show` lists the accepted values, `ipgate baseline diff --run \(runID)` what accepting would change",
        accept: "if the change is intended, `ipgate baseline accept --run \(runID)` (outside CI), then commit Baselines/",
        recordMissing: "accept this run with `ipgate baseline accept --run \(runID)` on a developer's machine, or run without CI (IPGATE_RECORD=missing records them)")
}

/// `error` as the tool reports it: a ``ToolError`` as it is (already worded, with its
/// exit code), anything else as `ipgate: <error>` with exit code 2.
func reported(_ error: any Error) -> ToolError {
    (error as? ToolError) ?? ToolError(message: "ipgate: \(error)")
}

/// A user-facing error, printed without a stack trace, that exits with `code`.
func fail(_ message: String, code: Int32 = 2) -> ToolError {
    ToolError(message: message, exitCode: code)
}

/// Loads a suite, turning a suite error into its located message and exit code 2.
func loadSuite(_ path: String, in project: GateProject, profile: ProfileOptions) throws -> Suite {
    do {
        return try project.loadSuite(path, profile: profile.profile, profilesFile: profile.profiles)
    } catch {
        throw fail(error.description)
    }
}
