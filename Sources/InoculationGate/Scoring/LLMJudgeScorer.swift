/// The LLM judge as a ``Scorer``: identical (question, answer) pairs in a run
/// are judged once and every sample is scored from that one stored verdict, so
/// a cached rerun reproduces the first run bit for bit even when the judge's
/// log-probabilities vary between calls.
struct LLMJudgeScorer: Scorer {
    let judge: LogprobJudge
    let progress: (@Sendable (RunProgress) -> Void)?

    var fingerprint: String { judge.fingerprint }

    func score(_ inputs: [ScoringInput]) async throws -> [SampleScore] {
        struct Prompt: Hashable { var question: String; var answer: String }
        var distinct: [Prompt] = []
        var position: [Prompt: Int] = [:]
        let indices = inputs.map { input -> Int in
            let prompt = Prompt(question: input.item.prompt, answer: input.answer)
            if let known = position[prompt] { return known }
            position[prompt] = distinct.count
            distinct.append(prompt)
            return distinct.count - 1
        }
        let judge = self.judge
        let tracker = ProgressTracker(
            phase: .judging, total: distinct.count, report: progress, failures: { (await judge.failedAttempts, await judge.lastFailure) })
        await tracker.startHeartbeat(waitingFor: "the judge at " + judge.configuration.endpoint.baseURL)
        let scores = try await withThrowingTaskGroup(of: (Int, SampleScore).self) { group in
            for (index, prompt) in distinct.enumerated() {
                group.addTask {
                    let (score, cached) = try await judge.judged(question: prompt.question, answer: prompt.answer)
                    await tracker.add(done: 1, cached: cached ? 1 : 0)
                    return (index, score)
                }
            }
            var scores = [SampleScore?](repeating: nil, count: distinct.count)
            for try await (index, score) in group { scores[index] = score }
            return scores.map { $0! }
        }
        await tracker.stop()
        return indices.map { scores[$0] }
    }
}
