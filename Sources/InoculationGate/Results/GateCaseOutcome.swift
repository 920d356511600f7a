/// A gate case's verdict as every output reports it: whether it passed, the
/// failure message a person reads (the same text `swift test` prints), a warning
/// for what passed but deserves a look, and where in the suite file it is defined.
public struct GateCaseOutcome: Sendable, Hashable {
    public var id: GateCaseID
    /// `suite › …`, see ``GateCaseID/name(suite:)``.
    public var name: String
    public var passed: Bool
    /// The failure message (tables included) when the case failed.
    public var failure: String?
    /// Passed, but not decided by the data: an underpowered comparison, an inconclusive claim.
    public var warning: String?
    public var location: SourceLocation?
}

extension RunResult {
    /// Every case of the run's suite with its outcome, in ``Suite/gateCases`` order.
    public func caseOutcomes(nextSteps: NextSteps?) -> [GateCaseOutcome] {
        suite.gateCases.map { outcome(of: $0, nextSteps: nextSteps) }
    }

    /// One case's outcome; `nextSteps` ends a failing baseline's message.
    public func outcome(of id: GateCaseID, nextSteps: NextSteps?) -> GateCaseOutcome {
        let (failure, warning) = verdict(of: id, nextSteps: nextSteps)
        return GateCaseOutcome(
            id: id, name: id.name(suite: suite.name), passed: failure == nil, failure: failure, warning: warning,
            location: suite.location(of: id))
    }

    private func verdict(of id: GateCaseID, nextSteps: NextSteps?) -> (failure: String?, warning: String?) {
        let name = id.name(suite: suite.name)
        switch id {
        case .claim(let title):
            guard let claim = claim(titled: title) else { return ("\(name): the claim was not evaluated", nil) }
            if !claim.meetsExpectation { return (ClaimMessage.render(claim), nil) }
            return (nil, claim.verdict == .inconclusive ? "\(name): inconclusive (as expected) — \(claim.reason)" : nil)
        case .diagnosis(let subject):
            let expected = suite.subject(named: subject)?.expectedDiagnosis
            guard let diagnosis = diagnosis(of: subject) else { return ("\(name): no claim is about this subject, so it has no diagnosis", nil) }
            guard diagnosis.kind != expected else { return (nil, nil) }
            let evidence = diagnosis.evidence.map { "\($0.keyword.rawValue) \($0.verdict.rawValue)" }.joined(separator: ", ")
            let absent = Diagnosis.Family.needed.filter { Diagnosis.status($0, in: diagnosis.evidence) == .absent }
            let missing = absent.isEmpty ? "" : "; no claim of \(absent.map(\.rawValue).joined(separator: ", ")) is about it"
            return ("\(name): diagnosed \(diagnosis.kind.rawValue), expected \(expected?.rawValue ?? "none") (\(evidence))\(missing)", nil)
        case .baseline(let key):
            guard let comparison = comparison(key) else { return ("\(name): the measure was not taken", nil) }
            let problems = dataProblems(of: key)
            if !problems.isEmpty {
                return ("\(name): no verdict without data — " + problems.map(\.description).joined(separator: "; "), nil)
            }
            guard failsGate(comparison) else {
                let warning = comparison.status == .underpowered
                    ? "\(name): underpowered — a worsening of the tolerance (\(Format.number(comparison.tolerance))) could go unseen; MDE \(Format.number(comparison.minimumDetectableEffect))"
                    : nil
                return (nil, warning)
            }
            if comparison.status == .missing {
                if comparison.current == nil { return ("\(name): no baseline, and the run has no countable sample to record", nil) }
                return ("\(name): no baseline has been accepted and IPGATE_RECORD=\(policy.mode.rawValue) does not record it"
                    + (nextSteps.map { "; \($0.recordMissing)" } ?? ""), nil)
            }
            return (ComparisonMessage.render(comparison, settings: suite.baseline, nextSteps: nextSteps), nil)
        }
    }
}
