/// What an adaptive run decided, when, and with how many samples — against what the
/// fixed design would have drawn. Stored in the run document (`adaptive`).
public struct AdaptiveSummary: Sendable, Hashable, Codable {
    /// One claim or baseline comparison.
    public struct Row: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable { case claim, comparison }
        public var kind: Kind
        /// The claim's title or the comparison's measure key.
        public var title: String
        /// Whether the evidence decided it before its budget ran out.
        public var decided: Bool
        /// The verdict (claims) or status (comparisons) it ended with.
        public var outcome: String
        /// The round it was decided at (nil: not decided).
        public var round: Int?
        /// Samples its slots had drawn by then.
        public var samples: Int
        /// Samples the fixed design gives its slots.
        public var fixedSamples: Int
        /// Its share of the run's error rate.
        public var alpha: Double
        /// When not decided: about how many more samples per item would decide it (nil: none would).
        public var moreSamplesPerItem: Int?
        /// The round after which it was given up because its budget could not decide it.
        public var gaveUpAt: Int?
    }

    public var rows: [Row]
    /// Rounds run.
    public var rounds: Int
    /// Samples generated in all (top-ups included), and what the fixed design draws.
    public var samples: Int
    public var fixedSamples: Int
    /// Samples per item per round, the per-item cap (nil: each probe set's `samples`), the overall budget.
    public var samplesPerRound: Int
    public var maxSamplesPerItem: Int?
    public var budget: Int?
    /// Values imputed at the worst case (answers that could not be counted after the top-ups).
    public var imputed: Int
    /// Answers whose requests failed after every attempt (drawn again as top-ups, then imputed).
    public var lost = 0
    /// How the intervals are built and what they are about, in one paragraph.
    public var method: String

    /// The method paragraph every output shows.
    static let methodText = """
        Anytime-valid: confidence sequences by betting (Waudby-Smith & Ramdas 2023), one bet per round on every \
        item, so looking after every round does not raise the error rate. Claims share 1 − confidence, comparisons \
        the baseline α (Bonferroni). Each interval covers the mean over this suite's items of each item's expected \
        value (rates among countable answers): more rounds never remove between-item variation, so a verdict about \
        the population of questions needs more items. Uncountable answers and answers whose requests failed are \
        drawn again (top-ups), then imputed at the worst case for each side.
        """
}
