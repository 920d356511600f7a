/// A claim's verdict with the numbers behind it.
package struct ClaimResult: Sendable, Hashable {
    package var claim: ClaimSpec
    package var verdict: Verdict
    /// The ratio (transfer) or difference (the others); nil when undefined.
    package var estimate: Double?
    package var interval: Interval?
    /// The threshold the interval is compared with.
    package var threshold: Double
    /// How the interval was computed (paired bootstrap, paired clustered z, …).
    package var method: String
    /// Why this verdict, in one sentence.
    package var reason: String
    /// When inconclusive: about how many items in all would likely decide it.
    package var itemsNeeded: Int?
    /// Items the comparison used.
    package var items: Int

    /// The case passes when the verdict is the one the suite expects.
    package var meetsExpectation: Bool { verdict == claim.expect }
}
