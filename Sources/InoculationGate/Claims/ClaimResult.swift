/// A claim's verdict with the numbers behind it.
public struct ClaimResult: Sendable, Hashable {
    public var claim: ClaimSpec
    public var verdict: Verdict
    /// The ratio (transfer) or difference (the others); nil when undefined.
    public var estimate: Double?
    public var interval: Interval?
    /// The threshold the interval is compared with.
    public var threshold: Double
    /// How the interval was computed (paired bootstrap, paired clustered z, …).
    public var method: String
    /// Why this verdict, in one sentence.
    public var reason: String
    /// When inconclusive: about how many items in all would likely decide it.
    public var itemsNeeded: Int?
    /// Items the comparison used.
    public var items: Int

    /// The case passes when the verdict is the one the suite expects.
    public var meetsExpectation: Bool { verdict == claim.expect }
}
