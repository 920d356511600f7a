/// A deterministic random number generator (SplitMix64).
///
/// Same seed, same sequence, on every machine and Swift version — unlike the
/// system generator. Everything random in a run (organism draws, random-string
/// conditions, bootstrap resamples) flows from one of these.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fully determined by `seed`.
    package init(seed: UInt64) { state = seed }

    /// A generator seeded from the SHA-256 of the given parts, so that
    /// independent streams ("subject A, item 3, sample 2") never collide.
    package init(parts: [String]) { state = StableHash.uint64(parts) }

    package mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1) with 53 bits of precision.
    package mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<upperBound` without modulo bias.
    package mutating func index(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upper bound must be positive")
        return Int(next(upperBound: UInt64(upperBound)))
    }
}
