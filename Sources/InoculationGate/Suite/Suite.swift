/// A regression-gate suite: who is evaluated, in which contexts, on what
/// probes, which measures are taken, and which claims must hold.
///
/// Load one with ``SuiteLoader``; every reference in it has been resolved and
/// checked, and its probe data has been read.
public struct Suite: Sendable {
    public var name: String
    public var about: String
    /// The path the suite was loaded from, as given.
    public var file: String
    /// Root seed of everything random in a run of this suite.
    public var seed: UInt64
    public var subjects: [Subject]
    public var conditions: [Condition]
    public var probes: [ProbeSet]
    public var measures: [MeasureSpec]
    public var claims: [ClaimSpec]
    public var baseline: BaselineSettings
    public var statistics: StatisticsSettings
    /// The profile the suite was loaded under, if any.
    public var profile: String?
    /// Recorded data sets (`recorded:`), by name.
    public var recorded: [String: RecordedData] = [:]

    public func subject(named name: String) -> Subject? { subjects.first { $0.name == name } }

    /// The summary data set a subject's measures come from, when they are published counts.
    public func summary(for subject: String) -> RecordedData? {
        guard case .recorded(let spec) = self.subject(named: subject)?.provider else { return nil }
        return spec.dataSets.lazy.compactMap { recorded[$0] }.first { $0.isSummary }
    }
    public func condition(named name: String) -> Condition? { conditions.first { $0.name == name } }
    public func probe(named name: String) -> ProbeSet? { probes.first { $0.name == name } }
    public func measure(named name: String) -> MeasureSpec? { measures.first { $0.name == name } }
}

/// How baseline comparisons of a suite are judged.
public struct BaselineSettings: Sendable, Hashable {
    /// Family-wise error rate for the regression tests of one run (Holm-adjusted).
    public var alpha: Double = 0.05
    /// Per-measure tolerated change, in the measure's units.
    public var tolerance: [String: Double] = [:]
    /// Tolerance for measures not listed in `tolerance`.
    public var defaultTolerance: Double = 0.03
    /// A significant improvement beyond tolerance fails too: the baseline no
    /// longer describes the model and should be re-recorded deliberately.
    public var failOnImprovement: Bool = true
    /// Fail when a comparison cannot detect a change of the tolerance's size.
    public var failOnUnderpowered: Bool = false

    public init() {}

    public func tolerance(for measure: String) -> Double { tolerance[measure] ?? defaultTolerance }
}
