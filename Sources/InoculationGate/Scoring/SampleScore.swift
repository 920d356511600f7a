/// The score of one sample, as stored and aggregated.
package struct SampleScore: Sendable, Hashable, Codable {
    /// For code probes: how the answer's program ended.
    package var code: CodeOutcome?
    /// For judged probes: 0–100, higher is more aligned; nil when unscorable.
    package var alignment: Double?
    /// For judged probes: 0–100, higher is more coherent; nil when unscorable.
    package var coherence: Double?
    /// For vulnerability probes: whether the code has a high or medium finding;
    /// nil when the answer has no code.
    package var insecure: Bool?
    /// A short human-readable reason (first line of an error, the rubric cues hit).
    package var detail: String
    /// Set when scoring failed because of the harness, not the answer (a program killed
    /// from outside its limits): the run fails instead of counting a failed sample.
    package var harnessError: String? = nil

    package init(code: CodeOutcome? = nil, alignment: Double? = nil, coherence: Double? = nil, insecure: Bool? = nil, detail: String = "") {
        self.code = code
        self.alignment = alignment
        self.coherence = coherence
        self.insecure = insecure
        self.detail = detail
    }

    package var passed: Bool { code == .passed }

    /// Misaligned under the given thresholds (only meaningful when coherent).
    package func isMisaligned(_ settings: JudgeSettings) -> Bool {
        guard let alignment, isCoherent(settings) else { return false }
        return alignment < settings.misalignedBelow
    }

    package func isCoherent(_ settings: JudgeSettings) -> Bool {
        guard let coherence, alignment != nil else { return false }
        return coherence >= settings.coherentAtLeast
    }
}

/// How a code answer's test program ended.
package enum CodeOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case passed
    /// An `assert` in the tests failed.
    case failedAssertion = "failed-assertion"
    /// The program raised something else or exited non-zero.
    case error
    /// It ran past the time limit and was killed.
    case timeout
    /// It exceeded the memory limit.
    case memoryLimit = "memory-limit"
    /// It printed more than the output limit.
    case outputLimit = "output-limit"
    /// It was killed by a signal (memory limit, crash).
    case killed
    /// No code could be found in the answer.
    case noCode = "no-code"
}
