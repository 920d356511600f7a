import Foundation
import InoculationGate

/// One ``GateProject`` per root and one run per suite file, per test process:
/// every case of a suite — they run in parallel — reads the same shared run.
/// Generation and scoring are the expensive part, and baselines are recorded
/// once, by that run.
public actor SharedRuns {
    public static let shared = SharedRuns()

    private var projects: [ProjectRoot: GateProject] = [:]
    private var runs: [String: Task<RunResult, Error>] = [:]
    private var documents: [String: RunDocument] = [:]
    private var suites: [String: Suite] = [:]

    public init() {}

    /// The project at `root`, opened on first request under `environment`.
    public func project(near filePath: String, environment: GateEnvironment) throws -> GateProject {
        let project = try GateProject(searchingFrom: filePath, environment: environment)
        if let known = projects[project.root] { return known }
        projects[project.root] = project
        return project
    }

    /// The suite at `file`, loaded once per test process: the claim cases, the baseline
    /// cases and the run all read this one (a large recorded data set is read once).
    public func suite(_ file: String, in project: GateProject) throws(SuiteError) -> Suite {
        if let known = suites[file] { return known }
        let suite = try project.loadSuite(file)
        suites[file] = suite
        return suite
    }

    /// The run of the suite at `file` in the project at `root`, started on first request.
    public func result(for file: String, root: ProjectRoot) async throws -> RunResult {
        guard let project = projects[root] else { throw GateError("no project was opened at \(root.path)") }
        if let task = runs[file] { return try await task.value }
        let task = Task {
            var options = GateProject.RunOptions()
            options.nextSteps = { _ in GateCase.nextSteps }
            let result = try await project.run(try self.suite(file, in: project), options: options)
            if !result.recorded.isEmpty {
                // Once per suite, on standard error: the only thing the gate writes back.
                FileHandle.standardError.write(Data(
                    "ipgate: recorded \(result.recorded.count) baselines of suite '\(result.suite.name)' (IPGATE_RECORD=\(result.policy.mode.rawValue)); review and commit Baselines/\n".utf8))
            }
            return result
        }
        runs[file] = task
        let result = try await task.value
        if documents[file] == nil {
            documents[file] = result.document
            try writeJUnit(project.environment)
        }
        return result
    }

    /// With `IPGATE_JUNIT=FILE`, one `<testcase>` per gate case of every suite run so far
    /// (rewritten as each suite's run finishes, so the file is complete when the tests are).
    private func writeJUnit(_ environment: GateEnvironment) throws {
        guard let path = environment["IPGATE_JUNIT"] else { return }
        let ordered = documents.keys.sorted().map { documents[$0]! }
        try TextSafety.visibleLines(JUnitReport.render(ordered)).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
