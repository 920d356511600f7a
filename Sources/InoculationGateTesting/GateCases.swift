import Foundation
import InoculationGate

/// Loads gate cases from the suites in `Suites/`, at test run time.
///
/// Use them as `@Test(arguments:)` collections. Loading throws — instead of
/// yielding an empty collection that Swift Testing would silently skip — when
/// there is no suite, a suite is invalid, a suite yields no case, or the
/// environment asks for something the baseline policy refuses.
public enum GateCases {
    /// Claim and expected-diagnosis cases of every suite.
    public static func claims(near filePath: String = #filePath, environment: GateEnvironment = GateProject.processEnvironment) async throws -> [GateCase] {
        try await load(near: filePath, environment: environment, what: "claim or diagnosis") { suite, file, root in
            suite.claimCases.map { GateCase(id: $0, suiteFile: file, suiteName: suite.name, root: root) }
        }
    }

    /// One baseline case per suite, subject, condition and measure.
    public static func baselines(near filePath: String = #filePath, environment: GateEnvironment = GateProject.processEnvironment) async throws -> [GateCase] {
        try await load(near: filePath, environment: environment, what: "baseline") { suite, file, root in
            suite.baselineCases.map { GateCase(id: $0, suiteFile: file, suiteName: suite.name, root: root) }
        }
    }

    static func load(
        near filePath: String, environment: GateEnvironment, what: String, cases: (Suite, String, ProjectRoot) -> [GateCase]
    ) async throws -> [GateCase] {
        let project: GateProject
        let files: [String]
        do {
            project = try await SharedRuns.shared.project(near: filePath, environment: environment)
            files = try project.suiteFiles()
        } catch {
            throw GateError("\(error)")
        }
        var all: [GateCase] = []
        for file in files {
            let suite: Suite
            do {
                suite = try await SharedRuns.shared.suite(file, in: project)
            } catch {
                throw GateError(error.description)
            }
            all += cases(suite, file, project.root)
        }
        guard !all.isEmpty else { throw GateError("the suites in \(project.root.suites) yield no \(what) case; a gate that checks nothing is an error") }
        return all
    }
}

/// A gate set-up problem, with a message to act on.
public struct GateError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
