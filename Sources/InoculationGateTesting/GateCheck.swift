import Foundation
import InoculationGate
import Testing

extension GateCase {
    /// Runs (or reuses) the suite and checks this case; returns the failure
    /// message, or nil when the case passes. Baselines are recorded here as the
    /// record mode (`IPGATE_RECORD`, `CI`) says.
    public func check(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> String? {
        let result = try await SharedRuns.shared.result(for: suiteFile, root: root)
        switch kind {
        case .claim(let title):
            guard let claim = result.claim(titled: title) else { return "\(self): the claim was not evaluated" }
            return claim.meetsExpectation ? nil : ClaimMessage.render(claim)
        case .diagnosis(let subject):
            let expected = result.suite.subject(named: subject)?.expectedDiagnosis
            guard let diagnosis = result.diagnosis(of: subject) else { return "\(self): no diagnostic claim is about this subject" }
            guard diagnosis.kind != expected else { return nil }
            let evidence = diagnosis.evidence.map { "\($0.keyword) \($0.verdict.rawValue)" }.joined(separator: ", ")
            return "\(self): diagnosed \(diagnosis.kind.rawValue), expected \(expected?.rawValue ?? "none") (\(evidence))"
        case .baseline(let key):
            return try checkBaseline(key, result, environment: environment)
        }
    }

    private func checkBaseline(_ key: MeasureKey, _ result: RunResult, environment: [String: String]) throws -> String? {
        let mode: RecordMode
        do {
            mode = try RecordMode.from(environment: environment)
        } catch {
            return "\(self): \(error)"
        }
        guard let comparison = result.comparison(key), let measure = result.measure(key) else {
            return "\(self): the measure was not taken"
        }
        let settings = result.suite.baseline
        if mode.shouldRecord(comparison, settings: settings) {
            let store = try BaselineStore(path: root.baselines)
            try store.record(measure, runID: result.runID, gitCommit: result.gitCommit, reason: mode.rawValue)
            try store.writeDump()
            print("ipgate: recorded baseline \(key) = \(Format.number(measure.estimate?.value)) (IPGATE_RECORD=\(mode.rawValue), was \(comparison.status.rawValue))")
            return nil
        }
        if comparison.status == .missing {
            return "\(self): no baseline has been accepted and IPGATE_RECORD=\(mode.rawValue) does not record it; run `swift test` locally (records missing baselines) and commit Baselines/"
        }
        return comparison.failsGate(settings) ? ComparisonMessage.render(comparison, settings: settings) : nil
    }

    /// Checks the case and records a Swift Testing issue with the message on failure.
    public func expectPasses(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        if let failure = try await check() {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    }
}
