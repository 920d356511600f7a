import Foundation
import Synchronization

/// The one entry point into the library: a project root with its suites,
/// baselines and runs database, the environment it runs under, and the
/// baseline policy. `ipgate` and `InoculationGateTesting` are thin callers of it,
/// so every front door loads, runs, records and decides the same way.
///
/// ```swift
/// let project = try GateProject(searchingFrom: #filePath, environment: GateProject.processEnvironment)
/// let suite = try project.loadSuite(project.root.suites + "/reference.yaml")
/// let result = try await project.run(suite)
/// print(result.failsGate ? "failed" : "passed")
/// ```
public final class GateProject: Sendable {
    public let root: ProjectRoot
    public let environment: GateEnvironment
    package let policy: BaselinePolicy
    private let openRuns = Mutex<RunStore?>(nil)

    /// The process's environment: the only place the library reads it.
    public static var processEnvironment: GateEnvironment { GateEnvironment(ProcessInfo.processInfo.environment) }

    /// Opens the project at `root` (else `IPGATE_ROOT`, else the nearest folder at or
    /// above `start` with a `Suites/` folder). A root without `Suites/` is an error
    /// and nothing is created; so is an unknown or refused record mode.
    public init(root explicit: String? = nil, searchingFrom start: String, environment: GateEnvironment) throws {
        self.root = try ProjectRoot.locate(explicit: explicit ?? environment.root, from: start)
        self.environment = environment
        policy = try BaselinePolicy(environment: environment)
    }

    // MARK: Suites

    /// Every suite file in `Suites/`; an empty folder is an error (a gate that checks nothing).
    public func suiteFiles() throws -> [String] {
        let files = try root.suiteFiles()
        guard !files.isEmpty else { throw ProjectRoot.RootError.noSuiteFiles(root.suites) }
        return files
    }

    /// A loader for `suitePath` under `profile` (default: `IPGATE_PROFILE`), read from
    /// `profilesFile` or `profiles.yaml` beside the suite.
    package func loader(for suitePath: String, profile: String? = nil, profilesFile: String? = nil) throws(SuiteError) -> SuiteLoader {
        try SuiteLoader.with(profile: profile ?? environment.profile, profilesFile: profilesFile, suitePath: suitePath, environment: environment)
    }

    /// Loads and checks the suite at `path`.
    public func loadSuite(_ path: String, profile: String? = nil, profilesFile: String? = nil) throws(SuiteError) -> Suite {
        try loader(for: path, profile: profile, profilesFile: profilesFile).load(path: path)
    }

    // MARK: Stores

    /// The local runs database (`.ipgate/runs.sqlite`), opened once per project.
    package func runs() throws -> RunStore {
        try openRuns.withLock { open in
            if let open { return open }
            let store = try RunStore(path: root.runs)
            open = store
            return store
        }
    }

    /// The accepted baselines of `suite`, read without creating the database when there is none.
    package func acceptedBaselines(suite: String) throws -> [MeasureKey: StoredBaseline] {
        try existingBaselineStore()?.accepted(suite: suite) ?? [:]
    }

    /// Checks that `Baselines/baselines.txt` says what the database holds. Off CI a stale or
    /// missing dump is rewritten and the returned note says so; on CI it is an error (CI
    /// writes nothing back). Every door that reads baselines calls this first.
    package func checkBaselineDump() throws -> String? {
        guard let store = try existingBaselineStore(), let mismatch = try store.dumpMismatch() else { return nil }
        if policy.isCI { throw StoreError.dumpOutOfDate(mismatch) }
        try store.writeDump()
        return "\(mismatch); rewrote it from the database — review and commit Baselines/"
    }

    /// Rewrites the dump from the database (`ipgate baseline dump`); refused on CI.
    package func rewriteBaselineDump() throws -> String {
        try policy.checkAccept()
        guard let store = try existingBaselineStore() else { throw StoreError.dump(root.baselines, reason: "there is no baseline database to dump") }
        let mismatch = try store.dumpMismatch()
        try store.writeDump()
        return mismatch.map { "rewrote \(store.dumpPath): \($0)" } ?? "\(store.dumpPath) already matched the database; rewritten unchanged"
    }

    /// The baseline store, for reading what is there (nil when nothing was ever accepted).
    package func existingBaselineStore() throws -> BaselineStore? {
        FileManager.default.fileExists(atPath: root.baselines) ? try BaselineStore(path: root.baselines) : nil
    }

    // MARK: Running

    /// How to run a suite.
    public struct RunOptions: Sendable {
        /// Keep the run, its samples and its answers in the runs database (cache and resume).
        public var store = true
        /// Ask the models again instead of serving cached answers.
        public var refresh = false
        /// Record baselines as the policy says (off for planning runs).
        public var records = true
        public var progress: (@Sendable (RunProgress) -> Void)?
        /// Where run-level warnings go; standard error by default.
        public var warn: (@Sendable (String) -> Void)?
        /// Request timeout and attempts over the suite's (`--timeout`, `--max-attempts`).
        package var requests = SuiteRunner.RequestOverrides()
        /// The front door's words for what to do next (given the run id), kept in the stored run document.
        public var nextSteps: (@Sendable (String) -> NextSteps)?
        /// Overrides, for tests and benchmarks.
        package var python: String?
        package var isolation: Sandbox.Isolation?
        /// Sample adaptively with these settings (nil: as the suite's `adaptive:` block says).
        package var adaptive: AdaptiveSettings?
        /// Run the fixed design even when the suite has an `adaptive:` block.
        package var fixedDesign = false
        /// Warn on standard error when model-written code is not isolated (off when the
        /// caller prints the report, whose header says it).
        public var warnsWithoutIsolation = true

        public init() {}
    }

    /// Runs `suite`: generates (or serves from the cache), scores, measures, checks
    /// the claims, compares with the accepted baselines and records baselines as
    /// the policy says — once.
    public func run(_ suite: Suite, options: RunOptions = RunOptions()) async throws -> RunResult {
        var runnerOptions = SuiteRunner.Options(environment: environment)
        runnerOptions.refresh = options.refresh
        runnerOptions.progress = options.progress
        runnerOptions.python = options.python
        runnerOptions.isolation = options.isolation
        runnerOptions.requests = options.requests
        runnerOptions.policy = policy
        runnerOptions.warnsWithoutIsolation = options.warnsWithoutIsolation
        runnerOptions.nextSteps = options.nextSteps
        runnerOptions.adaptive = options.adaptive
        runnerOptions.fixedDesign = options.fixedDesign
        if let limit = environment.streamAbove { runnerOptions.retainedSamples = limit }
        if options.records { runnerOptions.baselinesPath = root.baselines }
        if let warn = options.warn { runnerOptions.warn = warn }
        if let note = try checkBaselineDump() { runnerOptions.warn(note) }
        let baselines = try acceptedBaselines(suite: suite.name)
        let runs = options.store ? try runs() : nil
        var result = try await SuiteRunner(options: runnerOptions).run(suite, baselines: baselines, runs: runs, gitCommit: { [root] in await root.gitCommit() })
        let document = RunDocument(result, root: root.path)
        result.document = document
        try runs?.save(document: document)
        return result
    }

    /// The stored document of run `run` (default: the newest finished one, of `suite` if named).
    public func storedDocument(run: String?, suite: String? = nil) throws -> RunDocument {
        let (store, id) = try storedRun(run, suite: suite)
        guard let document = try store.document(runID: id) else { throw StoreError.noDocument(id) }
        return document
    }

    // MARK: Planning

    /// A power plan, and where its numbers came from.
    package struct PowerPlan: Sendable {
        package enum Source: Sendable, Hashable {
            /// The newest finished run of the suite, which matches it: nothing was asked.
            case storedRun(String)
            /// No stored run matched, so the suite was run (answers cached for next time).
            case generated(String)
        }

        package var report: PowerReport
        package var source: Source
    }

    /// The newest finished run of `suite` whose measures were produced by the suite as it
    /// is now, with its measures in the suite's order (subject × condition × measure).
    package func matchingStoredRun(_ suite: Suite) throws -> (id: String, measures: [MeasureResult])? {
        guard FileManager.default.fileExists(atPath: root.runs), let run = try runs().latestFinishedRun(suite: suite.name) else { return nil }
        // An adaptive run's slots have unequal samples: plans are made from fixed runs only.
        if try runs().document(runID: run.id)?.adaptive != nil { return nil }
        let stored = Dictionary(try runs().measures(runID: run.id).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var ordered: [MeasureResult] = []
        for subject in suite.subjects {
            for condition in suite.conditions {
                for spec in suite.measures {
                    guard let probe = suite.probe(named: spec.probe),
                          let measure = stored[MeasureKey(suite: suite.name, subject: subject.name, condition: condition.name, measure: spec.name)],
                          measure.fingerprint.suiteHash == Fingerprint.suiteHash(subject: subject, condition: condition, probe: probe, measure: spec),
                          measure.fingerprint.probeDataHash == probe.dataHash
                    else { return nil }
                    ordered.append(measure)
                }
            }
        }
        return (run.id, ordered)
    }

    /// Plans `suite` from its newest matching finished run (nothing asked); when there
    /// is none, `willGenerate` is called and the suite is run without recording baselines.
    package func power(_ suite: Suite, options: RunOptions = RunOptions(), willGenerate: () -> Void = {}) async throws -> PowerPlan {
        let baselines = try acceptedBaselines(suite: suite.name)
        if let (id, measures) = try matchingStoredRun(suite) {
            let evaluator = ClaimEvaluator(suite: suite, measures: measures)
            return PowerPlan(
                report: PowerReport(suite: suite, measures: measures, claims: evaluator.evaluate(), baselines: baselines),
                source: .storedRun(id))
        }
        willGenerate()
        var options = options
        options.records = false
        // Sample sizes are planned for the fixed design: an adaptive run's slots have unequal samples.
        options.fixedDesign = true
        let result = try await run(suite, options: options)
        return PowerPlan(report: PowerReport(result, baselines: baselines), source: .generated(result.runID))
    }

    /// The runs database and a run id: `run` as given, else the newest finished run (of `suite`, if named).
    private func storedRun(_ run: String?, suite: String?) throws -> (RunStore, String) {
        guard FileManager.default.fileExists(atPath: root.runs) else { throw StoreError.noRuns }
        let store = try runs()
        if let run { return (store, run) }
        guard let newest = try store.latestFinishedRun(suite: suite) else { throw StoreError.noRuns }
        return (store, newest.id)
    }

    // MARK: Baselines

    /// A run's measures: the given run, else the newest finished run (of `suite`, if named).
    package func runMeasures(run: String?, suite: String?) throws -> (runID: String, measures: [MeasureResult]) {
        let (store, id) = try storedRun(run, suite: suite)
        var measures = try store.measures(runID: id)
        if let suite { measures = measures.filter { $0.key.suite == suite } }
        return (id, measures)
    }

    /// Accepts a run's measures as the baselines (refused on CI) and rewrites the dump once.
    /// Rows whose value, per-item outcomes and fingerprint all match are left as they
    /// are (their run, time and commit too), so the dump's diff shows only real changes.
    package func accept(run: String?, suite: String?) async throws -> (runID: String, accepted: Int, unchanged: Int) {
        try policy.checkAccept()
        _ = try checkBaselineDump()
        let (id, measures) = try runMeasures(run: run, suite: suite)
        let rows = try diff(measures: measures, runID: id).rows
        let changed = Set(rows.filter { $0.change != .unchanged }.map(\.key))
        let valued = measures.filter { $0.estimate != nil && changed.contains($0.key) }
        let unchanged = rows.count - changed.count
        guard !valued.isEmpty else { return (id, 0, unchanged) }
        let store = try BaselineStore(path: root.baselines)
        try store.record(valued, runID: id, gitCommit: await root.gitCommit(), reason: "accept")
        return (id, valued.count, unchanged)
    }
}
