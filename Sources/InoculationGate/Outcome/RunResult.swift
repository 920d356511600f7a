import Foundation

/// Everything one run of a suite produced.
public struct RunResult: Sendable {
    public var runID: String
    public var suite: Suite
    public var gitCommit: String?
    /// Every sample of the run, or — for a streamed run (more than
    /// `SuiteRunner.Options.retainedSamples`) — only those an output reads; ``sampleCount`` counts them all.
    package var samples: [SampleRecord]
    /// Samples the run scored (stored with it when it is stored).
    package var sampleCount = 0
    package var measures: [MeasureResult]
    package var claims: [ClaimResult]
    package var diagnoses: [Diagnosis]
    /// Empty when the run was made without a baseline store.
    package var comparisons: [BaselineComparison]
    package var timings: Timings
    /// How model-written code was run; nil when the suite has no code probes.
    package var isolation: Sandbox.Isolation?
    /// The counts behind every slot's rates.
    package var counts: [SlotCounts] = []
    /// Slots and measures without data worth a verdict: each fails the gate.
    package var dataProblems: [DataProblem] = []
    /// The baseline policy the run was judged under.
    package var policy = BaselinePolicy(mode: .never, isCI: false)
    /// Baselines this run recorded, with the status each comparison had before.
    package var recorded: [MeasureKey: BaselineComparison.Status] = [:]
    /// How much of it is real: the semantic and gated shares the claims define or imply.
    package var shares: [ShareResult] = []
    /// Every labelled judge measured against its labels, with the rates it counted corrected.
    package var judgeChecks: [JudgeCheck] = []
    /// What an adaptive run decided when, and with how many samples (nil: the fixed design).
    package var adaptive: AdaptiveSummary?
    /// Every gate case with its verdict, decided once by the runner after recording
    /// (see ``outcome(of:)``); every output renders these.
    public var cases: [GateCaseOutcome] = []
    /// The caller's words for what to do next, as given to the run (nil: no hints).
    public var nextSteps: NextSteps?
    /// The run as data, built once by ``GateProject/run(_:options:)`` (nil for a result
    /// straight from `SuiteRunner`).
    public var document: RunDocument?

    /// Where the time went, for benchmarks.
    package struct Timings: Sendable, Hashable {
        package var generation: Double = 0
        /// Judging free-form answers.
        package var judging: Double = 0
        /// Static security analysis of vulnerability answers (Bandit and the built-in rules).
        package var securityScan: Double = 0
        /// Running code answers' test programs (wall time, including waiting on Python).
        package var codeExecution: Double = 0
        package var statistics: Double = 0
        package var storage: Double = 0
        /// Test programs actually executed (identical programs run once).
        package var programsExecuted = 0
        /// Answers served from the response cache, and answers asked of a model
        /// (simulated answers are neither).
        package var answersCached = 0
        package var answersRequested = 0
        /// Requests to models and judges that failed and were retried.
        package var failedAttempts = 0

        package init(
            generation: Double = 0, judging: Double = 0, securityScan: Double = 0, codeExecution: Double = 0, statistics: Double = 0,
            storage: Double = 0, programsExecuted: Int = 0, answersCached: Int = 0, answersRequested: Int = 0, failedAttempts: Int = 0
        ) {
            self.generation = generation
            self.judging = judging
            self.securityScan = securityScan
            self.codeExecution = codeExecution
            self.statistics = statistics
            self.storage = storage
            self.programsExecuted = programsExecuted
            self.answersCached = answersCached
            self.answersRequested = answersRequested
            self.failedAttempts = failedAttempts
        }
    }

    package func measure(_ key: MeasureKey) -> MeasureResult? { measures.first { $0.key == key } }

    /// The data problems behind a measure: its slot's, and its own.
    package func dataProblems(of key: MeasureKey) -> [DataProblem] {
        guard let probe = suite.measure(named: key.measure)?.probe else { return [] }
        let slot = Slot(subject: key.subject, condition: key.condition, probe: probe)
        return dataProblems.filter { problem in
            guard problem.slot == slot else { return false }
            if case .noCountableSamples(let measure) = problem.kind { return measure == key.measure }
            return true
        }
    }
    package func comparison(_ key: MeasureKey) -> BaselineComparison? { comparisons.first { $0.key == key } }
    package func claim(titled title: String) -> ClaimResult? { claims.first { $0.claim.title == title } }
    package func diagnosis(of subject: String) -> Diagnosis? { diagnoses.first { $0.subject == subject } }
    package func judgeCheck(of probe: String) -> JudgeCheck? { judgeChecks.first { $0.probe == probe } }

    /// True when any gate case failed (see ``cases``) or the data could carry no verdict.
    public var failsGate: Bool {
        !dataProblems.isEmpty || cases.contains { !$0.passed }
    }

    /// Whether `comparison` fails the gate under the run's policy (the rule behind a
    /// baseline case's verdict; outputs read the case, not this): a baseline the run
    /// recorded passes; a missing one fails when nothing may record it (`never`) or
    /// when there is no value to record; anything else as the suite's settings say.
    package func failsGate(_ comparison: BaselineComparison) -> Bool {
        if !dataProblems(of: comparison.key).isEmpty { return true }
        if recorded[comparison.key] != nil { return false }
        if comparison.status == .missing { return policy.missingFails || comparison.current == nil }
        return comparison.failsGate(suite.baseline)
    }
}
