import ArgumentParser
import Foundation
import InoculationGate

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a suite: measures with intervals, claims, diagnosis and the baseline comparison.",
        discussion: """
            Baselines are recorded as IPGATE_RECORD says (never, missing — the default —, failed, all); with CI set \
            nothing is recorded and a missing baseline fails. Exits 1 when a claim misses its expectation or a measure \
            fails against its baseline, 2 on bad input or a failed run.
            """)

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

    @Flag(help: "List every baseline row in the report, unchanged ones too.")
    var allRows = false

    @OptionGroup var outputs: ReportOutputs

    @Option(help: ArgumentHelp("Seconds a request to a model or judge may take, over the suite's timeout.", valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Attempts per request (the first included), over the suite's max_attempts.", valueName: "n"))
    var maxAttempts: Int?

    @Flag(help: "Sample in rounds and stop each claim and baseline comparison once it is decided (anytime-valid intervals); over the suite's 'adaptive:' block.")
    var adaptive = false

    @Flag(help: "Run the fixed design even when the suite has an 'adaptive:' block (adaptive runs never record baselines: record an adaptive suite's baselines with --fixed).")
    var fixed = false

    @Option(help: ArgumentHelp("With --adaptive: generated samples in all at most.", valueName: "n"))
    var budget: Int?

    @Option(help: ArgumentHelp("With --adaptive: samples per item at most (default: each probe set's samples, never more than the fixed design).", valueName: "k"))
    var maxSamplesPerItem: Int?

    @Option(help: ArgumentHelp("With --adaptive: samples per item in one round (default 1).", valueName: "k"))
    var samplesPerRound: Int?

    func validate() throws {
        if !adaptive, budget != nil || maxSamplesPerItem != nil || samplesPerRound != nil {
            throw ValidationError("--budget, --max-samples-per-item and --samples-per-round go with --adaptive")
        }
        if adaptive && fixed { throw ValidationError("--adaptive and --fixed exclude each other") }
        if let budget, budget < 1 { throw ValidationError("--budget must be at least 1") }
        if let maxSamplesPerItem, maxSamplesPerItem < 1 { throw ValidationError("--max-samples-per-item must be at least 1") }
        if let samplesPerRound, samplesPerRound < 1 { throw ValidationError("--samples-per-round must be at least 1") }
        if let timeout, !(timeout > 0 && timeout <= 86_400) { throw ValidationError("--timeout must be above 0 and at most 86400 seconds") }
        if let maxAttempts, !(1...100).contains(maxAttempts) { throw ValidationError("--max-attempts must be from 1 to 100") }
    }

    func run() async throws {
        let project = try rootOptions.project()
        let loaded = try loadSuite(suite, in: project, profile: profileOptions)
        do {
            var options = GateProject.RunOptions()
            options.store = !noStore
            options.refresh = refresh
            options.requests = SuiteRunner.RequestOverrides(timeout: timeout, maxAttempts: maxAttempts)
            options.nextSteps = { nextSteps(runID: $0) }
            options.fixedDesign = fixed
            if adaptive {
                var settings = loaded.adaptive ?? AdaptiveSettings()
                if let budget { settings.budget = budget }
                if let maxSamplesPerItem { settings.maxSamplesPerItem = maxSamplesPerItem }
                if let samplesPerRound { settings.samplesPerRound = samplesPerRound }
                options.adaptive = settings
            }
            // The report's header says it; once is enough.
            options.warnsWithoutIsolation = false
            let printer = ProgressPrinter()
            if !quiet { options.progress = { printer.update($0) } }
            let result = try await project.run(loaded, options: options)
            printer.finish()
            print(RunReport(result, allRows: allRows).render(), terminator: "")
            if let document = result.document { try outputs.write(document) }
            if timings { print(Self.timings(result)) }
            if result.failsGate { throw ExitCode(1) }
        } catch let error as ExitCode {
            throw error
        } catch let error as ProviderError {
            if case .unreachable = error { throw reported(error) }
            // Nothing received is lost: say so, so nobody starts over by hand.
            let hint = noStore ? "" : "\nipgate: every answer received so far is cached in the runs database; run the same command again to resume."
            throw fail("ipgate: \(error)" + hint)
        } catch {
            throw reported(error)
        }
    }

    static func timings(_ result: RunResult) -> String {
        let t = result.timings
        let pipeline = t.generation + t.judging + t.statistics + t.storage
        return String(
            format: "timings: generation %.3f s, judging %.3f s, security scan %.3f s, code execution %.3f s (%d programs run), statistics %.3f s, storage %.3f s; %d samples, %.0f samples/s excluding code execution and the security scan",
            t.generation, t.judging, t.securityScan, t.codeExecution, t.programsExecuted, t.statistics, t.storage,
            result.sampleCount, Double(result.sampleCount) / max(pipeline, 1e-9))
    }
}
