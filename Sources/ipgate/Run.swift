import ArgumentParser
import Foundation
import InoculationGate

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a suite: measures with intervals, claims, diagnosis and the baseline comparison.",
        discussion: "Exits 1 when a claim misses its expectation or a measure fails against its baseline, 2 on bad input.")

    @Argument(help: "The suite file, e.g. Suites/reference.yaml.")
    var suite: String

    @OptionGroup var rootOptions: RootOptions

    @OptionGroup var profileOptions: ProfileOptions

    @Flag(help: "Do not write the run to the local runs database.")
    var noStore = false

    @Flag(help: "Print where the time went (for benchmarks).")
    var timings = false

    @Flag(help: "Ask the models again instead of serving cached answers.")
    var refresh = false

    @Flag(help: "Do not print progress while generating and judging.")
    var quiet = false

    func run() async throws {
        let loaded = try loadSuite(suite, profile: profileOptions)
        let root = try rootOptions.locate()
        do {
            let baselines = try BaselineStore(path: root.baselines)
            let runs = noStore ? nil : try RunStore(path: root.runs)
            var options = SuiteRunner.Options()
            options.refresh = refresh
            let printer = ProgressPrinter()
            if !quiet { options.progress = { printer.update($0) } }
            let result = try await SuiteRunner(options: options).run(loaded, baselines: baselines, runs: runs, gitCommit: root.gitCommit())
            printer.finish()
            print(RunReport(result).render(), terminator: "")
            if timings {
                let t = result.timings
                let pipeline = t.generation + t.judging + t.statistics + t.storage
                print(String(
                    format: "timings: generation %.3f s, judging %.3f s, security scan %.3f s, code execution %.3f s (%d programs run), statistics %.3f s, storage %.3f s; %d samples, %.0f samples/s excluding code execution and the security scan",
                    t.generation, t.judging, t.securityScan, t.codeExecution, t.programsExecuted, t.statistics, t.storage,
                    result.samples.count, Double(result.samples.count) / max(pipeline, 1e-9)))
            }
            if result.failsGate { throw ExitCode(1) }
        } catch let error as ExitCode {
            throw error
        } catch let error as ProviderError {
            // Nothing received is lost: say so, so nobody starts over by hand.
            let hint = noStore ? "" : "\nipgate: every answer received so far is cached in the runs database; run the same command again to resume."
            throw fail("ipgate: \(error)" + hint)
        } catch {
            throw fail("ipgate: \(error)")
        }
    }
}
