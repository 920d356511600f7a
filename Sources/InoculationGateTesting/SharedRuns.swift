import Foundation
import InoculationGate

/// Runs each suite once per test process and shares the result with all its
/// cases, which run in parallel. Generation and scoring are the expensive part;
/// every case only reads the shared result.
public actor SharedRuns {
    public static let shared = SharedRuns()

    private var runs: [String: Task<RunResult, Error>] = [:]
    private var runStores: [String: RunStore] = [:]

    public init() {}

    /// The run of the suite at `file`, started on first request.
    public func result(for file: String, root: ProjectRoot) async throws -> RunResult {
        if let task = runs[file] { return try await task.value }
        // One runs database per root, shared by the suites' runs.
        let runStore = try runStores[root.runs] ?? RunStore(path: root.runs)
        runStores[root.runs] = runStore
        let task = Task {
            let suite = try SuiteLoader.with(profile: GateEnvironment.profile, suitePath: file).load(path: file)
            let baselines = try BaselineStore(path: root.baselines)
            return try await SuiteRunner().run(suite, baselines: baselines, runs: runStore, gitCommit: root.gitCommit())
        }
        runs[file] = task
        return try await task.value
    }
}
