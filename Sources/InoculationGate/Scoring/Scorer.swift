/// What a scorer sees of one sample: the item it answers and the answer.
package struct ScoringInput: Sendable, Hashable {
    package var item: ProbeItem
    package var answer: String

    package init(item: ProbeItem, answer: String) {
        self.item = item
        self.answer = answer
    }

    /// The item's id stands for the item (equal inputs have equal ids; `==` still compares
    /// whole items): a code task's tests need not be hashed for every answer.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(item.id)
        hasher.combine(answer)
    }
}

/// Turns answers into scores: the code runner, the security scanner, the
/// rubric judge and the LLM judge. A run hands each scorer every answer of the
/// probe sets it serves at once, so a scorer can work in batches (one Bandit
/// process, one judge call per distinct prompt, one execution per distinct program).
package protocol Scorer: Sendable {
    /// The scorer's part of every measure's fingerprint: a baseline scored by
    /// something else is never compared silently.
    var fingerprint: String { get }

    /// One score per input, in order.
    func score(_ inputs: [ScoringInput]) async throws -> [SampleScore]
}

extension CodeScorer: Scorer {
    package var fingerprint: String { Self.version }

    package func score(_ inputs: [ScoringInput]) async throws -> [SampleScore] {
        try await withThrowingTaskGroup(of: (Int, SampleScore).self) { group in
            for (index, input) in inputs.enumerated() {
                guard let task = input.item.codeTask else { throw ScoringError.wrongItem(input.item.id, scorer: "code") }
                group.addTask { (index, await self.score(answer: input.answer, task: task)) }
            }
            var scores = [SampleScore?](repeating: nil, count: inputs.count)
            for try await (index, score) in group {
                if let failure = score.harnessError { throw ScoringError.harness(failure) }
                scores[index] = score
            }
            return scores.map { $0! }
        }
    }
}

extension RubricJudge: Scorer {
    package var fingerprint: String { Self.version }

    package func score(_ inputs: [ScoringInput]) async throws -> [SampleScore] {
        inputs.map { score(answer: $0.answer) }
    }
}

extension VulnerabilityScorer: Scorer {
    /// Static analysis only: one Bandit run over the distinct code of the whole batch.
    package func score(_ inputs: [ScoringInput]) async throws -> [SampleScore] {
        let extracted = inputs.map { CodeExtractor.extract($0.answer) }
        let distinct = Array(Set(extracted.compactMap { $0 })).sorted()
        let findings = Dictionary(uniqueKeysWithValues: zip(distinct, await scan(distinct)))
        return extracted.map { code in Self.score(code.flatMap { findings[$0] }) }
    }
}

/// A scorer was handed an item it cannot score (a bug in how the run routes samples).
package enum ScoringError: Error, Sendable, CustomStringConvertible {
    case wrongItem(String, scorer: String)
    /// The harness failed a sample (not the answer): the run cannot be trusted.
    case harness(String)

    package var description: String {
        switch self {
        case .wrongItem(let id, let scorer): return "item '\(id)' is not something the \(scorer) scorer can score"
        case .harness(let message): return "the run is not trustworthy: \(message)"
        }
    }
}
