/// How an adaptive run samples: in rounds, each adding samples only for the slots whose
/// claims or baseline comparisons are still undecided (`adaptive:` in a suite, or
/// `ipgate run --adaptive`).
package struct AdaptiveSettings: Sendable, Hashable {
    /// Samples per item of every sampled slot in one round.
    package var samplesPerRound = 1
    /// Round samples per item at most (`samples_per_round` × rounds); nil: each probe set's
    /// `samples`, so rounds never draw more than the fixed design. Top-ups for answers that
    /// could not be counted come on top (at most `topUps` × `samplesPerRound` per item per round).
    package var maxSamplesPerItem: Int?
    /// Generated samples in all at most; a round that would pass it is not started.
    package var budget: Int?
    /// Extra samples an item may get within a round when its answers could not be
    /// counted (incoherent, no code), before the rest are imputed at the worst case.
    package var topUps = 2
    /// Where the suite says it (nil: from the command line).
    package var location: SourceLocation?

    package init() {}

    /// The most samples per item of `probe` this run may draw.
    package func cap(_ probe: ProbeSet) -> Int { maxSamplesPerItem ?? probe.samples }
}

extension Suite {
    /// Why this suite cannot be sampled adaptively, or nil when it can.
    package var adaptiveRefusal: String? {
        if let subject = subjects.first(where: { if case .recorded = $0.provider { return true } else { return false } }) {
            return "adaptive sampling draws new samples, and subject '\(subject.name)' is recorded data, which has no more to give; gate it with a fixed run"
        }
        if let measure = measures.first(where: \.corrected) {
            return "adaptive sampling decides on the judge's own counts, and measure '\(measure.name)' is 'corrected: true' (corrected rates need the fixed design's labels and intervals); run it without 'adaptive'"
        }
        return nil
    }

    /// Throws ``adaptiveRefusal``, at the `adaptive:` block (the suite's first line when the
    /// command line asked for adaptive sampling).
    package func requireAdaptive() throws(SuiteError) {
        guard let why = adaptiveRefusal else { return }
        throw SuiteError(why, at: adaptive?.location ?? SourceLocation(file: file, line: 1, column: 1))
    }
}
