/// One case of the gate: a claim, an expected diagnosis, or a baseline
/// comparison of one measure. `swift test`, `ipgate run --junit` and every other
/// output list the same cases, from ``Suite/gateCases``.
public enum GateCaseID: Sendable, Hashable {
    case claim(title: String)
    case diagnosis(subject: String)
    case baseline(MeasureKey)

    /// `claim`, `diagnosis` or `baseline`.
    public var kind: String {
        switch self {
        case .claim: return "claim"
        case .diagnosis: return "diagnosis"
        case .baseline: return "baseline"
        }
    }

    /// `suite › subject › condition › measure` for baselines; the claim title or
    /// `suite › diagnosis › subject` otherwise — the prefix of every failure message.
    public func name(suite: String) -> String {
        switch self {
        case .claim(let title): return "\(suite) › \(title)"
        case .diagnosis(let subject): return "\(suite) › diagnosis › \(subject)"
        case .baseline(let key): return key.description
        }
    }
}

extension Suite {
    /// Claim and expected-diagnosis cases, in suite order.
    public var claimCases: [GateCaseID] {
        claims.map { .claim(title: $0.title) } + subjects.filter { $0.expectedDiagnosis != nil }.map { .diagnosis(subject: $0.name) }
    }

    /// One baseline case per subject, condition and measure.
    public var baselineCases: [GateCaseID] {
        subjects.flatMap { subject in
            conditions.flatMap { condition in
                measures.map { .baseline(MeasureKey(suite: name, subject: subject.name, condition: condition.name, measure: $0.name)) }
            }
        }
    }

    /// Every case of the suite: claims and diagnoses, then baselines.
    public var gateCases: [GateCaseID] { claimCases + baselineCases }

    /// Where a person edits what the case checks: the claim, the subject, or the measure.
    public func location(of id: GateCaseID) -> SourceLocation? {
        switch id {
        case .claim(let title): return claims.first { $0.title == title }?.location
        case .diagnosis(let subject): return self.subject(named: subject)?.location
        case .baseline(let key): return measures.first { $0.name == key.measure }?.location
        }
    }
}
