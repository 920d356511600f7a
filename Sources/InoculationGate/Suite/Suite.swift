/// A regression-gate suite: who is evaluated, in which contexts, on what
/// probes, which measures are taken, and which claims must hold.
///
/// Load one with ``GateProject/loadSuite(_:profile:profilesFile:)``; every reference in it has been resolved and
/// checked, and its probe data has been read.
public struct Suite: Sendable {
    public var name: String
    public var about: String
    /// The path the suite was loaded from, as given.
    public var file: String
    /// Root seed of everything random in a run of this suite.
    package var seed: UInt64
    package var subjects: [Subject]
    package var conditions: [Condition]
    package var probes: [ProbeSet]
    package var measures: [MeasureSpec]
    package var claims: [ClaimSpec]
    package var baseline: BaselineSettings
    package var statistics: StatisticsSettings
    /// The profile the suite was loaded under, if any.
    public var profile: String?
    /// Recorded data sets (`recorded:`), by name.
    package var recorded: [String: RecordedData] = [:]
    /// Sample in rounds and stop each claim and comparison once decided (`adaptive:`); nil: the fixed design.
    package var adaptive: AdaptiveSettings?

    package func subject(named name: String) -> Subject? { subjects.first { $0.name == name } }

    /// The summary data sets a subject's measures come from, when they are published
    /// counts (several one-trait files, or one wide or long table); empty otherwise.
    package func summaries(for subject: String) -> [RecordedData] {
        guard case .recorded(let spec) = self.subject(named: subject)?.provider else { return [] }
        return spec.dataSets.compactMap { recorded[$0] }.filter(\.isSummary)
    }

    /// Whether a subject is known from published counts only (nothing is asked or scored for it).
    package func isSummaryOnly(_ subject: String) -> Bool { !summaries(for: subject).isEmpty }
    package func condition(named name: String) -> Condition? { conditions.first { $0.name == name } }
    package func probe(named name: String) -> ProbeSet? { probes.first { $0.name == name } }
    package func measure(named name: String) -> MeasureSpec? { measures.first { $0.name == name } }
}

/// How baseline comparisons of a suite are judged.
package struct BaselineSettings: Sendable, Hashable {
    /// Family-wise error rate for the regression tests of one run (Holm-adjusted).
    package var alpha: Double = 0.05
    /// Per-measure tolerated change, in the measure's units.
    package var tolerance: [String: Double] = [:]
    /// Tolerance for measures not listed in `tolerance`.
    package var defaultTolerance: Double = 0.03
    /// A significant improvement beyond tolerance fails too: the baseline no
    /// longer describes the model and should be re-recorded deliberately.
    package var failOnImprovement: Bool = true
    /// Fail when a comparison cannot detect a change of the tolerance's size.
    package var failOnUnderpowered: Bool = false

    package init() {}

    package func tolerance(for measure: String) -> Double { tolerance[measure] ?? defaultTolerance }
}
