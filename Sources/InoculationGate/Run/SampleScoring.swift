import Synchronization
import Foundation

/// Scores every answer of a run: each probe set's answers go to its scorer in
/// one batch, judged sets first, then the security scan, then code execution.
struct SampleScoring: Sendable {
    /// Where the time went, per kind of scorer.
    struct Stats: Sendable, Hashable {
        var judging = 0.0
        var securityScan = 0.0
        var codeExecution = 0.0
        var programsExecuted = 0
        var failedAttempts = 0

        /// Adds a later part's costs (counts are the scorers' running totals).
        mutating func add(_ other: Stats) {
            judging += other.judging
            securityScan += other.securityScan
            codeExecution += other.codeExecution
            programsExecuted = other.programsExecuted
            failedAttempts = other.failedAttempts
        }
    }

    /// Probe set name → its scorer.
    let scorers: [String: any Scorer]
    /// The code scorer, when the suite has code probes (for its counters).
    let codeScorer: CodeScorer?
    let judges: [LogprobJudge]
    /// Each probe set's items by id, made once: a run scores a batch at a time.
    let items: [String: [String: ProbeItem]]

    /// The scorers for `suite`'s probe sets. One code scorer, one rubric judge and one
    /// LLM judge per configuration serve every probe set that needs them.
    static func make(
        for suite: Suite, python: String?, isolation: Sandbox.Isolation?, options: SuiteRunner.Options, cache: (any ResponseCache)?
    ) async throws -> SampleScoring {
        var scorers: [String: any Scorer] = [:]
        var codeScorer: CodeScorer?
        var vulnerability: VulnerabilityScorer?
        var judges: [LogprobJudge.Configuration: LLMJudgeScorer] = [:]
        // A suite of published counts only scores nothing: no interpreter, sandbox or judge.
        let scoresAnything = suite.subjects.contains { !suite.isSummaryOnly($0.name) }
        for probe in suite.probes where scoresAnything {
            switch probe.kind {
            case .code:
                if codeScorer == nil {
                    guard let python, let isolation else { throw SandboxError.noInterpreter("code probes need python3 and a sandbox") }
                    codeScorer = CodeScorer(python: python, timeLimit: options.codeTimeLimit, parallelism: options.parallelism, isolation: isolation)
                }
                scorers[probe.name] = codeScorer
            case .vulnerability:
                if vulnerability == nil {
                    guard let python else { throw SandboxError.noInterpreter("vulnerability probes need python3 for Bandit") }
                    vulnerability = await VulnerabilityScorer.detecting(python: python, environment: options.environment, say: options.warn)
                }
                scorers[probe.name] = vulnerability
            case .judged:
                if let llm = probe.judge.llm {
                    var asked = llm
                    asked.endpoint = options.requests.applied(to: llm.endpoint)
                    let judge = judges[llm] ?? LLMJudgeScorer(
                        judge: LogprobJudge(
                            configuration: asked, cache: cache, refresh: options.refresh, environment: options.environment,
                            notice: options.warn),
                        progress: options.progress)
                    judges[llm] = judge
                    scorers[probe.name] = judge
                } else {
                    scorers[probe.name] = RubricJudge()
                }
            }
        }
        return SampleScoring(
            scorers: scorers, codeScorer: codeScorer, judges: judges.values.map(\.judge),
            items: Dictionary(uniqueKeysWithValues: suite.probes.map { probe in (probe.name, Dictionary(probe.items.map { ($0.id, $0) }) { first, _ in first }) }))
    }

    /// The fingerprint part of each probe set's scorer.
    var fingerprints: [String: String] { scorers.mapValues(\.fingerprint) }

    /// Scores already given, shared by the calls that pass it (an adaptive run's rounds
    /// repeat answers across rounds as a fixed run repeats them within itself).
    /// With a `limit`, it stops remembering once it holds that many (a streamed run of a real
    /// model, whose answers rarely repeat, must not grow with its answers). A probe set whose
    /// answers do not repeat is not remembered at all once that shows: after ``trial`` answers
    /// of which fewer than one in four repeated — known here, or a repeat within its batch (plan
    /// order puts an item's samples together, so a simulated model repeats itself within a
    /// batch long before an item comes back) — remembering costs more than the scoring it
    /// saves (hashing and storing every answer, about 1.5 µs, against the rubric judge's few).
    final class Memo: Sendable {
        /// Answers of a probe set before their share of repeats decides whether it is remembered.
        static let trial = 1_024

        private struct Table {
            var entries: [ScoringInput: SampleScore] = [:]
            var looked = 0
            var repeated = 0

            var pays: Bool { looked < Memo.trial || repeated * 4 >= looked }
        }

        private let state = Mutex<(tables: [String: Table], count: Int)>(([:], 0))
        private let limit: Int

        init(limit: Int = .max) { self.limit = limit }

        /// The known score of each input, in order (one lock and one table lookup for a batch).
        func scores(_ probe: String, _ inputs: [ScoringInput]) -> [SampleScore?] {
            state.withLock { all in
                // Taken out and put back, so the table is changed in place, never copied.
                var table = all.tables.removeValue(forKey: probe) ?? Table()
                defer { all.tables[probe] = table }
                guard table.pays else { return [SampleScore?](repeating: nil, count: inputs.count) }
                let found = inputs.map { table.entries[$0] }
                table.looked += inputs.count
                table.repeated += found.count { $0 != nil }
                return found
            }
        }

        /// Remembers the scores of a batch's distinct new inputs; `repeats` is how many of the
        /// batch's other answers repeated one of them.
        func remember(_ probe: String, _ inputs: [ScoringInput], _ scored: [SampleScore], repeats: Int) {
            state.withLock { all in
                var table = all.tables.removeValue(forKey: probe) ?? Table()
                defer { all.tables[probe] = table }
                table.repeated += repeats
                guard table.pays else {
                    // Its answers do not repeat: what it holds is let go.
                    all.count -= table.entries.count
                    table.entries = [:]
                    return
                }
                for (input, score) in zip(inputs, scored) where score.harnessError == nil && all.count < limit {
                    if table.entries.updateValue(score, forKey: input) == nil { all.count += 1 }
                }
            }
        }

        /// Whether answers of `probe` are still remembered (tests).
        func remembers(_ probe: String) -> Bool { state.withLock { $0.tables[probe]?.pays ?? true } }
    }

    func score(_ answers: [Answer], suite: Suite, memo: Memo? = nil) async throws -> ([SampleRecord], Stats) {
        var stats = Stats()
        var scores = [SampleScore?](repeating: nil, count: answers.count)
        var byProbe: [String: [Int]] = [:]
        for (index, answer) in answers.enumerated() {
            // Imported scores are used as they are; only the rest go to a scorer.
            if let imported = answer.importedScore { scores[index] = imported } else { byProbe[answer.request.probe, default: []].append(index) }
        }
        let order: [ProbeSet.Kind] = [.judged, .vulnerability, .code]
        for kind in order {
            let clock = Date()
            for probe in suite.probes where probe.kind == kind {
                guard let indices = byProbe[probe.name], let scorer = scorers[probe.name] else { continue }
                let items = self.items[probe.name] ?? [:]
                // Scores are a function of (item, answer): each distinct pair is scored once
                // (simulated and low-temperature models repeat answers a great deal).
                var distinct: [ScoringInput] = []
                var position: [ScoringInput: Int] = [:]
                var pending: [Int] = []
                var slots: [Int] = []
                let inputs = try indices.map { index in
                    let answer = answers[index]
                    guard let item = items[answer.request.itemID] else { throw ScoringError.wrongItem(answer.request.itemID, scorer: probe.name) }
                    return ScoringInput(item: item, answer: answer.text)
                }
                let known = memo?.scores(probe.name, inputs)
                for (offset, index) in indices.enumerated() {
                    if let known = known?[offset] {
                        scores[index] = known
                        continue
                    }
                    let input = inputs[offset]
                    pending.append(index)
                    if let known = position[input] { slots.append(known); continue }
                    position[input] = distinct.count
                    distinct.append(input)
                    slots.append(distinct.count - 1)
                }
                let scored: [SampleScore]
                if distinct.isEmpty {
                    scored = []
                } else if kind == .judged {
                    scored = try await scorer.score(distinct)
                } else {
                    // Programs and Bandit start at the ordinary priority: a process inherits its
                    // thread's, and a background thread's would slow them under load.
                    scored = try await withTaskExecutorPreference(globalConcurrentExecutor) { try await scorer.score(distinct) }
                }
                memo?.remember(probe.name, distinct, scored, repeats: pending.count - distinct.count)
                for (index, slot) in zip(pending, slots) { scores[index] = scored[slot] }
            }
            let seconds = Date().timeIntervalSince(clock)
            switch kind {
            case .judged: stats.judging = seconds
            case .vulnerability: stats.securityScan = seconds
            case .code: stats.codeExecution = seconds
            }
        }
        stats.programsExecuted = await codeScorer?.executions ?? 0
        for judge in judges { stats.failedAttempts += await judge.failedAttempts }
        let records = zip(answers, scores).map { answer, score in
            let request = answer.request
            return SampleRecord(
                subject: request.subject, condition: request.condition.name, probe: request.probe, itemID: request.itemID,
                sampleIndex: request.sampleIndex, answer: answer.text, score: score!)
        }
        return (records, stats)
    }
}
