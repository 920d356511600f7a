import Foundation

extension GateProject {
    /// What `batchExport` wrote.
    package struct BatchExportSummary: Sendable, Hashable {
        /// Lines written (this shard's).
        package var lines = 0
        /// Answers (or judge scores) those lines ask for.
        package var answers = 0
        /// Answers already in the response cache, not exported.
        package var cached = 0
        /// Requests of simulated subjects, which are never exported.
        package var simulated = 0
        /// Judge prompts whose answer is not there yet (export answers first, import, then the judge).
        package var awaitingAnswers = 0
        /// With `adaptive`: the summary when the cache already holds every round the run needs.
        package var adaptiveComplete: AdaptiveSummary?
    }

    /// Writes every request a live run of `suite` would send for the answers not yet
    /// cached — the same bodies, byte for byte — as an OpenAI batch input file, and
    /// remembers each line's cache keys in the runs database. With `judge`, the judge
    /// requests for answers already cached instead. `shard` (1-based index, count)
    /// keeps every count-th line.
    package func batchExport(
        _ suite: Suite, to path: String, shard: (index: Int, count: Int) = (1, 1), judge: Bool = false
    ) throws -> BatchExportSummary {
        let store = try runs()
        var summary = BatchExportSummary()
        let lines = judge
            ? try judgeLines(suite, store: store, summary: &summary)
            : try answerLines(suite, requests: RunPlan(suite).requests, store: store, summary: &summary)
        return try write(lines, to: path, shard: shard, store: store, summary: summary)
    }

    /// The next round of an adaptive run as a batch: replays the rounds the cache holds
    /// (deciding as a run would) and writes the requests of the first round it cannot
    /// serve. Export, run the batch, import, and export again until it says the run is
    /// complete; then `ipgate run --adaptive` finishes from the cache.
    package func adaptiveBatchExport(
        _ suite: Suite, to path: String, shard: (index: Int, count: Int) = (1, 1), settings: AdaptiveSettings? = nil
    ) async throws -> BatchExportSummary {
        let store = try runs()
        var options = SuiteRunner.Options(environment: environment)
        options.adaptive = settings
        options.warn = { _ in }
        let (requests, complete) = try await SuiteRunner(options: options).nextAdaptiveRequests(
            suite, baselines: try acceptedBaselines(suite: suite.name), runs: store)
        var summary = BatchExportSummary()
        summary.adaptiveComplete = complete
        let lines = try answerLines(suite, requests: requests, store: store, summary: &summary)
        return try write(lines, to: path, shard: shard, store: store, summary: summary)
    }

    private func write(
        _ lines: [(record: BatchRequestRecord, line: BatchFormat.InputLine, answers: Int)], to path: String, shard: (index: Int, count: Int),
        store: RunStore, summary: BatchExportSummary
    ) throws -> BatchExportSummary {
        var summary = summary
        let kept = lines.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
        var output = Data()
        for entry in kept {
            output.append(try BatchFormat.encode(entry.line))
            output.append(UInt8(ascii: "\n"))
            summary.answers += entry.answers
        }
        summary.lines = kept.count
        try store.saveBatchRequests(kept.map(\.record))
        try output.write(to: URL(fileURLWithPath: path), options: .atomic)
        return summary
    }

    /// One line per group of samples of one prompt (`n` samples where the endpoint honours `n`).
    private func answerLines(
        _ suite: Suite, requests: [GenerationRequest], store: RunStore, summary: inout BatchExportSummary
    ) throws -> [(record: BatchRequestRecord, line: BatchFormat.InputLine, answers: Int)] {
        let providers = AnswerCollector.providers(for: suite, environment: environment)
        var groups: [[Int]] = []
        for (index, request) in requests.enumerated() {
            guard let provider = providers[request.subject] as? OpenAIProvider else {
                summary.simulated += 1
                continue
            }
            if try store.cachedAnswer(AnswerCollector.cacheKey(request, provider: provider)) != nil {
                summary.cached += 1
                continue
            }
            AnswerCollector.group(index, into: &groups, requests: requests)
        }
        var lines: [(record: BatchRequestRecord, line: BatchFormat.InputLine, answers: Int)] = []
        for group in groups {
            let provider = providers[requests[group[0]].subject] as! OpenAIProvider
            let n = provider.samplesPerRequest(group.count, ignoresN: try store.ignoresN(provider.identity))
            // One request per n samples: all of them, or (n = 1) each on its own with its own seed.
            for start in stride(from: 0, to: group.count, by: n) {
                let first = requests[group[start]]
                let slice = group[start..<min(start + n, group.count)]
                let id = BatchFormat.customID([
                    suite.name, first.subject, first.condition.name, first.probe, first.itemID,
                    "s\(first.sampleIndex)" + (slice.count > 1 ? "+\(slice.count)" : ""),
                ])
                let keys = slice.map { AnswerCollector.cacheKey(requests[$0], provider: provider) }
                lines.append((
                    BatchRequestRecord(customID: id, kind: .answers, provider: provider.identity, keys: keys),
                    BatchFormat.InputLine(custom_id: id, body: provider.body(for: first, n: slice.count)), slice.count))
            }
        }
        return lines
    }

    /// One line per distinct judge prompt (alignment and coherence) of a cached answer.
    private func judgeLines(
        _ suite: Suite, store: RunStore, summary: inout BatchExportSummary
    ) throws -> [(record: BatchRequestRecord, line: BatchFormat.InputLine, answers: Int)] {
        let providers = AnswerCollector.providers(for: suite, environment: environment)
        var lines: [(record: BatchRequestRecord, line: BatchFormat.InputLine, answers: Int)] = []
        var seen: Set<String> = []
        for request in RunPlan(suite).requests {
            guard let probe = suite.probe(named: request.probe), let llm = probe.judge.llm,
                  let item = probe.items.first(where: { $0.id == request.itemID }), let provider = providers[request.subject] else { continue }
            let judge = LogprobJudge(configuration: llm, environment: environment)
            let answer: String
            if provider.isCacheable {
                guard let cached = try store.cachedAnswer(AnswerCollector.cacheKey(request, provider: provider)) else {
                    summary.awaitingAnswers += 1
                    continue
                }
                answer = cached
            } else {
                summary.simulated += 1
                continue
            }
            for (aspect, template) in [("alignment", LogprobJudge.alignmentPrompt), ("coherence", LogprobJudge.coherencePrompt)] {
                let prompt = LogprobJudge.prompt(template, question: item.prompt, answer: answer)
                let key = judge.cacheKey(prompt)
                guard seen.insert(key).inserted else { continue }
                if try store.cachedAnswer(key) != nil {
                    summary.cached += 1
                    continue
                }
                let id = BatchFormat.customID([
                    "judge", suite.name, request.subject, request.condition.name, request.probe, request.itemID, "s\(request.sampleIndex)", aspect,
                ])
                lines.append((
                    BatchRequestRecord(customID: id, kind: .judge, provider: judge.cacheProvider, keys: [key]),
                    BatchFormat.InputLine(custom_id: id, body: judge.body(prompt)), 1))
            }
        }
        return lines
    }
}
