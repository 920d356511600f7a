import Foundation
import InoculationGate
import Testing

extension GateCase {
    /// What to do next, in `swift test`'s words.
    static let nextSteps = NextSteps(
        investigate: "read the flipped items and answer excerpts above; `ipgate baseline show` lists the accepted values, `ipgate baseline diff` what accepting the newest run would change",
        accept: "if the change is intended, `IPGATE_RECORD=failed swift test` or `ipgate baseline accept` (outside CI), then commit Baselines/",
        recordMissing: "run `swift test` on a developer's machine (IPGATE_RECORD=missing records missing baselines) and commit Baselines/")

    /// Runs (or reuses) the suite and checks this case; returns the failure
    /// message, or nil when the case passes. Baselines were recorded by the
    /// shared run, as the project's policy says.
    public func check() async throws -> String? {
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
            guard let comparison = result.comparison(key) else { return "\(self): the measure was not taken" }
            let problems = result.dataProblems(of: key)
            if !problems.isEmpty {
                return "\(self): no verdict without data — " + problems.map(\.description).joined(separator: "; ")
            }
            guard result.failsGate(comparison) else { return nil }
            if comparison.status == .missing {
                if comparison.current == nil { return "\(self): no baseline, and the run has no countable sample to record" }
                return "\(self): no baseline has been accepted and IPGATE_RECORD=\(result.policy.mode.rawValue) does not record it; \(Self.nextSteps.recordMissing)"
            }
            return ComparisonMessage.render(comparison, settings: result.suite.baseline, nextSteps: Self.nextSteps)
        }
    }

    /// Checks the case and records a Swift Testing issue with the message on failure.
    public func expectPasses(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        if let failure = try await check() {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    }
}
