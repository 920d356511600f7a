import ArgumentParser
import Foundation
import InoculationGate

struct PowerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Plan a suite: the minimum detectable effect of every claim and measure, and the items that would reach the target.",
        discussion: "Plans from the newest finished run of the suite when it still matches the suite (nothing is asked); otherwise runs it first, with progress, caching every answer.")

    @Argument(help: "The suite file.")
    var suite: String

    @OptionGroup var rootOptions: RootOptions

    @OptionGroup var profileOptions: ProfileOptions

    @Flag(help: "Do not print progress while generating and judging.")
    var quiet = false

    func run() async throws {
        let project = try rootOptions.project()
        let loaded = try loadSuite(suite, in: project, profile: profileOptions)
        do {
            var options = GateProject.RunOptions()
            let printer = ProgressPrinter()
            if !quiet { options.progress = { printer.update($0) } }
            let plan = try await project.power(loaded, options: options) {
                printError("ipgate: no finished run matches suite '\(loaded.name)' as it is now; running it first (answers are cached for the next run)")
            }
            printer.finish()
            switch plan.source {
            case .storedRun(let id): print("planned from run \(id) (stored; nothing was asked)\n")
            case .generated(let id): print("planned from run \(id) (just run)\n")
            }
            print(plan.report.render(), terminator: "")
        } catch {
            throw reported(error)
        }
    }
}
