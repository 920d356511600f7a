/// A gate case's verdict as every output reports it: whether it passed, why it
/// failed, the failure message a person reads (the same text `swift test` prints,
/// its next steps fitted to the reason), a warning for what passed but deserves a
/// look, and the line of the suite files that defines what changed.
public struct GateCaseOutcome: Sendable, Hashable {
    /// Why a case failed (or, for a passing case with a warning, what to look at).
    /// Raw values are the run document's `reason`.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        case regressed
        case improved
        case underpowered
        /// The baseline was produced by another suite slice, probe data or scorer.
        case fingerprintChanged = "fingerprint-changed"
        /// The stored baseline does not follow from its own per-item outcomes.
        case inconsistentBaseline = "inconsistent-baseline"
        case missingBaseline = "missing-baseline"
        /// The slot's data cannot carry a verdict (mostly empty answers, nothing countable).
        case dataProblem = "data-problem"
        /// The measure, claim or diagnosis was not produced at all.
        case notEvaluated = "not-evaluated"
        /// A claim missed its expectation.
        case claim
        /// A subject's diagnosis is not the expected one.
        case diagnosis
        /// A judge's agreement with its labels is below the suite's floor.
        case judge
    }

    public var id: GateCaseID
    /// `suite › …`, see ``GateCaseID/name(suite:)``.
    public var name: String
    public var passed: Bool
    /// Set when the case failed.
    public var reason: Reason?
    /// The failure message (tables and next steps included) when the case failed.
    public var failure: String?
    /// Passed, but not decided by the data: an underpowered comparison, an inconclusive claim.
    public var warning: String?
    /// Where in the suite files a person edits what the case checks — for a changed
    /// fingerprint, where the changed field is defined.
    public var location: SourceLocation?
}

extension RunResult {
    /// One case's outcome, as the run decided it (nil for a case the suite does not have).
    public func outcome(of id: GateCaseID) -> GateCaseOutcome? {
        cases.first { $0.id == id }
    }

    /// Decides every case of the suite, in ``Suite/gateCases`` order: the one place a
    /// case's verdict, reason and message are made. The runner calls it once, after
    /// recording; every output renders what it returned.
    func decideCases(nextSteps: NextSteps?) -> [GateCaseOutcome] {
        suite.gateCases.map { decide($0, nextSteps: nextSteps) }
    }

    private func decide(_ id: GateCaseID, nextSteps: NextSteps?) -> GateCaseOutcome {
        let name = id.name(suite: suite.name)
        var outcome = GateCaseOutcome(id: id, name: name, passed: true, location: suite.location(of: id))
        func fail(_ reason: GateCaseOutcome.Reason, _ message: String, guided: Bool = true, itemsNeeded: Int? = nil) -> GateCaseOutcome {
            outcome.passed = false
            outcome.reason = reason
            let guidance = guided ? GateCaseOutcome.guidance(reason, nextSteps: nextSteps, itemsNeeded: itemsNeeded) : ""
            outcome.failure = guidance.isEmpty ? message : message + "\n" + guidance
            return outcome
        }
        switch id {
        case .claim(let title):
            guard let claim = claim(titled: title) else { return fail(.notEvaluated, "\(name): the claim was not evaluated") }
            if !claim.meetsExpectation {
                return fail(.claim, ClaimMessage.render(claim))
            }
            if claim.verdict == .inconclusive { outcome.warning = "\(name): inconclusive (as expected) — \(claim.reason)" }
            return outcome
        case .diagnosis(let subject):
            let expected = suite.subject(named: subject)?.expectedDiagnosis
            guard let diagnosis = diagnosis(of: subject) else {
                return fail(.notEvaluated, "\(name): no claim is about this subject, so it has no diagnosis")
            }
            guard diagnosis.kind != expected else { return outcome }
            let evidence = diagnosis.evidence.map { "\($0.keyword.rawValue) \($0.verdict.rawValue)" }.joined(separator: ", ")
            let absent = Diagnosis.Family.needed.filter { Diagnosis.status($0, in: diagnosis.evidence) == .absent }
            let missing = absent.isEmpty ? "" : "; no claim of \(absent.map(\.rawValue).joined(separator: ", ")) is about it"
            return fail(.diagnosis, "\(name): diagnosed \(diagnosis.kind.rawValue), expected \(expected?.rawValue ?? "none") (\(evidence))\(missing)")
        case .judge(let probe):
            guard let check = judgeCheck(of: probe) else { return fail(.notEvaluated, "\(name): the judge was not measured (no answer was scored)") }
            if check.failsFloor { return fail(.judge, JudgeCheckText.floorFailure(check, name: name)) }
            return outcome
        case .baseline(let key):
            guard let comparison = comparison(key) else { return fail(.notEvaluated, "\(name): the measure was not taken") }
            let problems = dataProblems(of: key)
            if !problems.isEmpty {
                return fail(.dataProblem, "\(name): no verdict without data — " + problems.map(\.description).joined(separator: "; "))
            }
            guard failsGate(comparison) else {
                if comparison.status == .underpowered {
                    outcome.warning = "\(name): underpowered — a worsening of the tolerance (\(Format.number(comparison.tolerance))) could go unseen; MDE \(Format.number(comparison.minimumDetectableEffect))"
                }
                return outcome
            }
            let reason = GateCaseOutcome.reason(of: comparison)
            if reason == .fingerprintChanged, let place = suite.location(of: comparison.fingerprintChanges, key: key) {
                outcome.location = place
            }
            if comparison.status == .missing {
                if comparison.current == nil { return fail(.missingBaseline, "\(name): no baseline, and the run has no countable sample to record", guided: false) }
                return fail(.missingBaseline, "\(name): no baseline has been accepted and IPGATE_RECORD=\(policy.mode.rawValue) does not record it"
                    + (nextSteps.map { "; \($0.recordMissing)" } ?? ""), guided: false)
            }
            return fail(reason, ComparisonMessage.render(comparison, settings: suite.baseline, confidence: suite.statistics.confidence), itemsNeeded: comparison.itemsNeeded)
        }
    }
}

extension GateCaseOutcome {
    /// Why a failing comparison fails: an inconsistent stored row first (it is the
    /// cause of whatever follows), then its status.
    static func reason(of comparison: BaselineComparison) -> Reason {
        if comparison.recomputedBaseline != nil { return .inconsistentBaseline }
        switch comparison.status {
        case .regressed: return .regressed
        case .improved: return .improved
        case .underpowered: return .underpowered
        case .fingerprintChanged: return .fingerprintChanged
        case .missing: return .missingBaseline
        case .noValue: return .dataProblem
        case .unchanged: return .regressed
        }
    }

    /// The next steps that fit `reason`, in the caller's words where they name a command.
    static func guidance(_ reason: Reason, nextSteps: NextSteps?, itemsNeeded: Int? = nil) -> String {
        switch reason {
        case .regressed, .improved:
            return nextSteps?.bothWays(prefix: "  next — ") ?? ""
        case .fingerprintChanged:
            return "  next — this is not a measured change: the baseline was taken with another definition (what changed is named above). "
                + "Undo that change, or, if it is meant, accept the new values deliberately"
                + (nextSteps.map { ": \($0.accept)" } ?? "")
        case .inconsistentBaseline:
            return "  next — the stored baseline was edited or is corrupt: restore Baselines/ from version control, or accept a run anew"
                + (nextSteps.map { ": \($0.accept)" } ?? "")
        case .underpowered:
            return "  next — the data cannot see a change of the tolerance's size: add items or samples"
                + (itemsNeeded.map { " (about \($0) items)" } ?? "") + ", or widen the tolerance deliberately"
        case .missingBaseline:
            return nextSteps.map { "  next: \($0.recordMissing)" } ?? ""
        case .dataProblem:
            return "  next — nothing to accept: look at the answers of this slot (empty or unscorable), fix the endpoint, profile or data, and run again"
        case .judge:
            return "  next — label more answers of this run (ipgate labels export --per-slot N, then ipgate labels import) if the interval is what falls short; use a better judge (judge: {kind: llm, …}) if κ itself is low; or lower min_kappa deliberately"
        case .claim, .diagnosis:
            return "  next — a claim is the model's story, not a baseline: change the model, or deliberately the suite's expectation (expect:, expect_diagnosis:)"
        case .notEvaluated:
            return ""
        }
    }
}
