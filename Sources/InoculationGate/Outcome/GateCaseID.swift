/// One case of the gate: a claim, an expected diagnosis, or a baseline
/// comparison of one measure. `swift test`, `ipgate run --junit` and every other
/// output list the same cases, from ``Suite/gateCases``. Codable, so one case can
/// be named again (rerun, looked up in a stored run) by its id.
public enum GateCaseID: Sendable, Hashable, Codable {
    case claim(title: String)
    case diagnosis(subject: String)
    case baseline(MeasureKey)
    /// A judged probe set's judge against the suite's κ floor (`min_kappa:`).
    case judge(probe: String)

    /// What a case checks; the raw values are the run document's `kind`.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case claim, diagnosis, baseline, judge
    }

    public var kind: Kind {
        switch self {
        case .claim: return .claim
        case .diagnosis: return .diagnosis
        case .baseline: return .baseline
        case .judge: return .judge
        }
    }

    /// `suite › subject › condition › measure` for baselines; the claim title or
    /// `suite › diagnosis › subject` otherwise — the prefix of every failure message.
    public func name(suite: String) -> String {
        switch self {
        case .claim(let title): return "\(suite) › \(title)"
        case .diagnosis(let subject): return "\(suite) › diagnosis › \(subject)"
        case .baseline(let key): return key.description
        case .judge(let probe): return "\(suite) › judge › \(probe)"
        }
    }

    // Flat keys (`kind` plus the fields that name the case), the shape the run document uses.
    private enum CodingKeys: String, CodingKey { case kind, title, subject, condition, measure, suite, probe }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .claim: self = .claim(title: try c.decode(String.self, forKey: .title))
        case .diagnosis: self = .diagnosis(subject: try c.decode(String.self, forKey: .subject))
        case .judge: self = .judge(probe: try c.decode(String.self, forKey: .probe))
        case .baseline:
            self = .baseline(MeasureKey(
                suite: try c.decode(String.self, forKey: .suite), subject: try c.decode(String.self, forKey: .subject),
                condition: try c.decode(String.self, forKey: .condition), measure: try c.decode(String.self, forKey: .measure)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .claim(let title): try c.encode(title, forKey: .title)
        case .diagnosis(let subject): try c.encode(subject, forKey: .subject)
        case .judge(let probe): try c.encode(probe, forKey: .probe)
        case .baseline(let key):
            try c.encode(key.suite, forKey: .suite)
            try c.encode(key.subject, forKey: .subject)
            try c.encode(key.condition, forKey: .condition)
            try c.encode(key.measure, forKey: .measure)
        }
    }
}

extension Suite {
    /// Claim, expected-diagnosis and judge-floor cases, in suite order.
    public var claimCases: [GateCaseID] {
        claims.map { .claim(title: $0.title) } + subjects.filter { $0.expectedDiagnosis != nil }.map { .diagnosis(subject: $0.name) }
            + probes.filter { $0.judge.minKappa != nil }.map { .judge(probe: $0.name) }
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
        case .judge(let probe): return self.probe(named: probe).flatMap { $0.judge.labels?.location ?? $0.location }
        }
    }
}

extension Suite {
    /// Where the first of `changes` is defined: a changed subject at its provider
    /// (the profile's entry when a profile gave it), a changed condition at the
    /// condition, sampling, judge thresholds, probe data or scorer at the probe set,
    /// the metric at the measure. Nil when the change names no field.
    func location(of changes: [FingerprintChange], key: MeasureKey) -> SourceLocation? {
        let subject = subject(named: key.subject)
        let probe = measure(named: key.measure).flatMap { self.probe(named: $0.probe) }
        for change in changes {
            switch change {
            case .suiteDefinition(_, _, let fields):
                for field in fields {
                    switch field.field {
                    case "subject": if let place = subject?.providerLocation ?? subject?.location { return place }
                    case "condition": if let place = conditions.first(where: { $0.name == key.condition })?.location { return place }
                    case "metric": if let place = measure(named: key.measure)?.location { return place }
                    default: if let place = probe?.location { return place }
                    }
                }
            case .probeData, .scorer:
                if let place = probe?.location { return place }
            }
        }
        return nil
    }
}
