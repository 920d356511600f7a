import Foundation

/// Everything one run of a suite produced.
public struct RunResult: Sendable {
    public var runID: String
    public var suite: Suite
    public var gitCommit: String?
    public var samples: [SampleRecord]
    public var measures: [MeasureResult]
    public var claims: [ClaimResult]
    public var diagnoses: [Diagnosis]
    /// Empty when the run was made without a baseline store.
    public var comparisons: [BaselineComparison]
    public var timings: Timings
    /// How model-written code was run; nil when the suite has no code probes.
    public var isolation: Sandbox.Isolation?
    /// The counts behind every slot's rates.
    public var counts: [SlotCounts] = []
    /// Slots and measures without data worth a verdict: each fails the gate.
    public var dataProblems: [DataProblem] = []
    /// The baseline policy the run was judged under.
    public var policy = BaselinePolicy(mode: .never, isCI: false)
    /// Baselines this run recorded, with the status each comparison had before.
    public var recorded: [MeasureKey: BaselineComparison.Status] = [:]
    /// How much of it is real: the semantic and gated shares the claims define or imply.
    public var shares: [ShareResult] = []
    /// Every gate case with its verdict, decided once by the runner after recording
    /// (see ``outcome(of:)``); every output renders these.
    public var cases: [GateCaseOutcome] = []
    /// The caller's words for what to do next, as given to the run (nil: no hints).
    public var nextSteps: NextSteps?
    /// The run as data, built once by ``GateProject/run(_:options:)`` (nil for a result
    /// straight from ``SuiteRunner``).
    public var document: RunDocument?

    /// Where the time went, for benchmarks.
    public struct Timings: Sendable, Hashable {
        public var generation: Double = 0
        /// Judging free-form answers.
        public var judging: Double = 0
        /// Static security analysis of vulnerability answers (Bandit and the built-in rules).
        public var securityScan: Double = 0
        /// Running code answers' test programs (wall time, including waiting on Python).
        public var codeExecution: Double = 0
        public var statistics: Double = 0
        public var storage: Double = 0
        /// Test programs actually executed (identical programs run once).
        public var programsExecuted = 0
        /// Answers served from the response cache, and answers asked of a model
        /// (simulated answers are neither).
        public var answersCached = 0
        public var answersRequested = 0
        /// Requests to models and judges that failed and were retried.
        public var failedAttempts = 0

        public init(
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

    public func measure(_ key: MeasureKey) -> MeasureResult? { measures.first { $0.key == key } }

    /// The data problems behind a measure: its slot's, and its own.
    public func dataProblems(of key: MeasureKey) -> [DataProblem] {
        guard let probe = suite.measure(named: key.measure)?.probe else { return [] }
        let slot = Slot(subject: key.subject, condition: key.condition, probe: probe)
        return dataProblems.filter { problem in
            guard problem.slot == slot else { return false }
            if case .noCountableSamples(let measure) = problem.kind { return measure == key.measure }
            return true
        }
    }
    public func comparison(_ key: MeasureKey) -> BaselineComparison? { comparisons.first { $0.key == key } }
    public func claim(titled title: String) -> ClaimResult? { claims.first { $0.claim.title == title } }
    public func diagnosis(of subject: String) -> Diagnosis? { diagnoses.first { $0.subject == subject } }

    /// True when any gate case failed (see ``cases``) or the data could carry no verdict.
    public var failsGate: Bool {
        !dataProblems.isEmpty || cases.contains { !$0.passed }
    }

    /// Whether `comparison` fails the gate under the run's policy (the rule behind a
    /// baseline case's verdict; outputs read the case, not this): a baseline the run
    /// recorded passes; a missing one fails when nothing may record it (`never`) or
    /// when there is no value to record; anything else as the suite's settings say.
    public func failsGate(_ comparison: BaselineComparison) -> Bool {
        if !dataProblems(of: comparison.key).isEmpty { return true }
        if recorded[comparison.key] != nil { return false }
        if comparison.status == .missing { return policy.missingFails || comparison.current == nil }
        return comparison.failsGate(suite.baseline)
    }
}
