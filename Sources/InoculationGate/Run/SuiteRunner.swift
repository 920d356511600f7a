import Foundation
import Synchronization

/// Runs a suite: plan → collect answers → score → aggregate → claims → compare →
/// record → decide every gate case. What it returns is the run's whole outcome.
///
/// Short orchestration over the stages (``RunPlan``, `AnswerCollector`,
/// `SampleScoring`, `MeasureAggregator`, ``ClaimEvaluator``,
/// ``BaselineComparator``). Callers normally go through ``GateProject``, which
/// owns the stores, the environment and the baseline policy.
package struct SuiteRunner: Sendable {
    package struct Options: Sendable {
        /// Where API keys, the interpreter and the sandbox setting come from.
        package var environment = GateEnvironment()
        /// The Python interpreter for code probes; resolved from the environment when nil.
        package var python: String?
        /// Code samples executed at once.
        package var parallelism = ProcessInfo.processInfo.activeProcessorCount
        /// Seconds a test program may run.
        package var codeTimeLimit = 10.0
        /// How model-written code is isolated; detected from the environment when nil.
        package var isolation: Sandbox.Isolation?
        /// Ask the providers again instead of serving cached answers.
        package var refresh = false
        /// Called as answers arrive and are judged (from any thread; keep it quick).
        package var progress: (@Sendable (RunProgress) -> Void)?
        /// Where run-level warnings go (once per run); standard error by default.
        package var warn: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("ipgate: \(TextSafety.visibleLines($0))\n".utf8)) }
        /// Request timeout and attempts for every endpoint, over what the suite says.
        package var requests = RequestOverrides()
        /// Warn (once per process) when model-written code runs without isolation. A caller
        /// that prints the report, which says it in its header, turns this off.
        package var warnsWithoutIsolation = true
        /// The baseline policy the run is judged under. The default records nothing, so a
        /// missing baseline fails: a run that cannot record must not pass by omission.
        package var policy = BaselinePolicy(mode: .never, isCI: false)
        /// The baseline database to record into as ``policy`` says (nil: record nothing).
        package var baselinesPath: String?
        /// The caller's words for what to do next (given the run id); they end failure messages.
        package var nextSteps: (@Sendable (String) -> NextSteps)?
        /// Sample adaptively with these settings, over the suite's `adaptive:` block (nil: as the suite says).
        package var adaptive: AdaptiveSettings?
        /// Run the fixed design even when the suite has an `adaptive:` block (`ipgate run --fixed`,
        /// power planning, and the runs that record an adaptive suite's baselines).
        package var fixedDesign = false
        /// A fixed run with more samples than this streams: its plan is made, asked, scored,
        /// counted and stored a chunk at a time, and the result keeps only the samples an
        /// output reads (``SampleKeeper``), so memory stays flat however many samples.
        package var retainedSamples = 50_000
        /// Requests per chunk of a streamed run (whole items: a prompt's samples stay together).
        package var chunkSize = 10_000

        package init(environment: GateEnvironment = GateEnvironment()) { self.environment = environment }
    }

    /// Settings from the command line that override every endpoint's in the suite
    /// (`ipgate run --timeout --max-attempts`). They do not enter fingerprints or cache
    /// keys: how long to wait changes no answer.
    package struct RequestOverrides: Sendable, Hashable {
        /// Seconds a request may take, connecting included.
        package var timeout: Double?
        /// Attempts per request, the first included.
        package var maxAttempts: Int?

        package init(timeout: Double? = nil, maxAttempts: Int? = nil) {
            self.timeout = timeout
            self.maxAttempts = maxAttempts
        }

        func applied(to configuration: OpenAIProvider.Configuration) -> OpenAIProvider.Configuration {
            var configuration = configuration
            if let timeout { configuration.timeout = timeout }
            if let maxAttempts { configuration.retry.maxAttempts = maxAttempts }
            return configuration
        }
    }

    package var options: Options

    package init(options: Options = Options()) { self.options = options }

    /// Runs `suite`, storing the run in `runs` and comparing with `baselines` when given.
    /// `gitCommit` is asked while the run begins (a process spawn need not delay the first
    /// request); the stored run records it when it ends, finished or failed.
    package func run(
        _ suite: Suite, baselines: [MeasureKey: StoredBaseline]? = nil, runs: RunStore? = nil,
        gitCommit: @escaping @Sendable () async -> String? = { nil }
    ) async throws -> RunResult {
        try Self.checkAPIKeys(suite, environment: options.environment)
        let runID = Self.newRunID()
        async let commit = gitCommit()
        try runs?.beginRun(id: runID, suite: suite, gitCommit: nil)
        do {
            let providers = AnswerCollector.providers(
                for: suite, environment: options.environment, overrides: options.requests, notice: { [once = SayOnce(options.warn)] in once($0) })
            var collector = AnswerCollector(providers: providers, cache: runs, refresh: options.refresh, progress: options.progress)
            let adaptive = options.fixedDesign ? nil : options.adaptive ?? suite.adaptive
            // An adaptive round imputes an answer whose request failed; a fixed run fails instead.
            collector.toleratesFailures = adaptive != nil
            if adaptive != nil { try suite.requireAdaptive() }

            var collected = AnswerCollector.Stats()
            let planned = RunPlan.ItemGroups.count(suite)
            let streams = planned > options.retainedSamples
            // Judging reports while answers are still being asked would interleave two phases in
            // one progress line: the generating line speaks for both until the last answer is in.
            let asking = AskingFlag(adaptive == nil)
            var judgingProgress: (@Sendable (RunProgress) -> Void)?
            if let report = options.progress {
                judgingProgress = { progress in
                    if progress.phase != .judging || !asking.isSet { report(progress) }
                }
            }
            let (scoring, isolation) = try await scoring(for: suite, cache: runs, progress: judgingProgress)
            var scored = SampleScoring.Stats()
            var sampled: AdaptiveSampler.Result?
            var sink = SampleSink(
                aggregator: MeasureAggregator(suite: suite, scorerFingerprints: scoring.fingerprints), tally: SlotCounts.Tally(suite),
                keeper: SampleKeeper(keepsAll: !streams, labelled: Self.labelledPlaces(suite)), store: runs, runID: runID)
            if let adaptive {
                let result = try await AdaptiveSampler(
                    suite: suite, settings: adaptive, collector: collector, scoring: scoring, baselines: baselines ?? [:]).run(into: &sink)
                (collected, scored) = (result.collected, result.scored)
                sampled = result
            } else {
                (collected, scored) = try await scoreWhileCollecting(
                    suite, planned: planned, chunkSize: streams ? options.chunkSize : planned, collector: collector, scoring: scoring,
                    asking: asking, into: &sink)
            }
            let samples = sink.keeper.samples
            if case .limitsOnly = isolation, options.warnsWithoutIsolation {
                // Where a person will see it even if the report is piped away; once per
                // process, however many suites it runs.
                SayOnce.oncePerProcess(isolation!.description, options.warn)
            }

            var clock = Date()
            let counted = sink.aggregator.measures()
            // Labelled judges are measured now; corrected measures carry their correction into claims and comparisons.
            let (judgeChecks, measures) = try await JudgeCheck.check(suite, samples: samples, measures: counted, scorers: scoring.scorers)
            let counts = sink.tally.counts
            let evaluator = ClaimEvaluator(suite: suite, measures: measures)
            var claims = evaluator.evaluate()
            var comparisons = baselines.map { BaselineComparator(suite: suite).compare(measures: measures, baselines: $0, samples: samples) } ?? []
            if let sampled {
                // Verdicts and statuses come from the anytime-valid sequences, not from fixed-sample intervals on adaptively stopped data.
                sampled.overlay(claims: &claims, comparisons: &comparisons)
            }
            let diagnoses = evaluator.diagnoses(claims)
            let statistics = Date().timeIntervalSince(clock)

            clock = Date()
            // The last samples were stored while the statistics were worked out.
            try await sink.finish()
            try runs?.checkIntact()
            try runs?.save(measures: measures, runID: runID)
            try runs?.save(counts: counts, runID: runID)
            let madeAt = await commit
            try runs?.finishRun(id: runID, status: .finished, gitCommit: madeAt)
            try runs?.checkIntact()
            let timings = RunResult.Timings(
                generation: collected.seconds, judging: scored.judging, securityScan: scored.securityScan,
                codeExecution: scored.codeExecution, statistics: statistics, storage: Date().timeIntervalSince(clock) + sink.storing,
                programsExecuted: scored.programsExecuted, answersCached: collected.cached, answersRequested: collected.requested,
                failedAttempts: collected.failedAttempts + scored.failedAttempts)
            var result = RunResult(
                runID: runID, suite: suite, gitCommit: madeAt, samples: samples, measures: measures, claims: claims,
                diagnoses: diagnoses, comparisons: comparisons, timings: timings, isolation: isolation, counts: counts,
                dataProblems: DataProblem.find(suite, counts: counts, measures: measures))
            result.shares = evaluator.shares()
            result.judgeChecks = judgeChecks
            result.adaptive = sampled?.summary
            result.sampleCount = sink.keeper.count
            result.policy = options.policy
            try record(&result)
            result.nextSteps = options.nextSteps?(runID)
            result.cases = result.decideCases(nextSteps: result.nextSteps)
            return result
        } catch {
            try? runs?.finishRun(id: runID, status: .failed, detail: "\(error)", gitCommit: await commit)
            throw error
        }
    }

    /// What an adaptive run of `suite` still needs from the models before it can finish
    /// from the cache: the requests of the first round the cache cannot serve (empty
    /// when the whole run can be served), and the summary when it can. Nothing is asked.
    package func nextAdaptiveRequests(
        _ suite: Suite, baselines: [MeasureKey: StoredBaseline], runs: RunStore
    ) async throws -> (requests: [GenerationRequest], summary: AdaptiveSummary?) {
        try suite.requireAdaptive()
        let providers = AnswerCollector.providers(for: suite, environment: options.environment, overrides: options.requests)
        var collector = AnswerCollector(providers: providers, cache: runs, refresh: false, progress: nil)
        collector.cacheOnly = true
        let (scoring, _) = try await scoring(for: suite, cache: runs)
        do {
            var sink = SampleSink(
                aggregator: MeasureAggregator(suite: suite, scorerFingerprints: scoring.fingerprints), tally: SlotCounts.Tally(suite),
                keeper: SampleKeeper(keepsAll: false), store: nil, runID: "")
            let result = try await AdaptiveSampler(
                suite: suite, settings: options.adaptive ?? suite.adaptive ?? AdaptiveSettings(), collector: collector, scoring: scoring,
                baselines: baselines).run(into: &sink)
            return ([], result.summary)
        } catch let missing as AnswerCollector.MissingAnswers {
            return (missing.requests, nil)
        }
    }

    /// Records the run's baselines as the policy says. Baselines another run recorded
    /// while this one ran are kept and compared with, never overwritten.
    private func record(_ result: inout RunResult) throws {
        // Adaptively stopped data would give a biased baseline: baselines come from fixed runs.
        guard let path = options.baselinesPath, result.adaptive == nil else { return }
        let (recorded, appeared) = try BaselineRecorder(path: path, mode: options.policy.mode).record(result)
        result.recorded = recorded
        guard !appeared.isEmpty else { return }
        let suite = result.suite
        options.warn("\(appeared.count) baseline\(appeared.count == 1 ? "" : "s") of suite '\(suite.name)' appeared while this run was going (another run recorded \(appeared.count == 1 ? "it" : "them")); compared with, not replaced")
        result.comparisons = BaselineComparator(suite: suite).compare(
            measures: result.measures, baselines: try BaselineStore(path: path).accepted(suite: suite.name), samples: result.samples)
    }

    /// A fixed run: its plan is asked a chunk of whole items at a time (one chunk unless the run
    /// streams; a prompt's samples stay in one request group), and each chunk's answers are scored,
    /// counted and stored in plan order while the rest of it is still being asked — a judge or a
    /// sandbox works while the models answer, and the sums add up in the order of a run that
    /// scores everything at its end.
    private func scoreWhileCollecting(
        _ suite: Suite, planned: Int, chunkSize: Int, collector: AnswerCollector, scoring: SampleScoring, asking: AskingFlag,
        into sink: inout SampleSink
    ) async throws -> (AnswerCollector.Stats, SampleScoring.Stats) {
        var collected = AnswerCollector.Stats(), scored = SampleScoring.Stats()
        var groups = RunPlan.ItemGroups(suite)
        var chunk: [GenerationRequest] = []
        var done = 0
        var exhausted = false
        // Answers repeat (organisms, low temperatures) across batches and chunks: score each
        // (item, answer) once, within a bound (a real model's answers rarely repeat).
        let memo = SampleScoring.Memo(limit: 20_000)
        while !exhausted {
            if let group = groups.next() { chunk += group } else { exhausted = true }
            guard chunk.count >= chunkSize || (exhausted && !chunk.isEmpty) else { continue }
            // Progress counts over the whole plan, not the chunk.
            var part = collector
            if let report = options.progress, chunk.count < planned {
                let offset = done
                part.progress = { @Sendable (progress: RunProgress) in
                    var whole = progress
                    whole.done += offset
                    whole.total = planned
                    report(whole)
                }
            }
            let arrivals = AnswerArrivals(count: chunk.count)
            let requests = chunk
            let isLast = done + chunk.count >= planned
            async let asked = part.collect(RunPlan(requests: requests), into: arrivals)
            // Scoring and storing yield the cores to the requests still in flight (``BackgroundExecutor``).
            try await withTaskExecutorPreference(BackgroundExecutor.shared) {
                while let batch = try await arrivals.next() {
                    if isLast && arrivals.isFinished { asking.clear() }
                    let answers = try batch.map { try collector.answer(requests[$0.index], text: $0.text) }
                    let (records, scores) = try await scoring.score(answers, suite: suite, memo: memo)
                    scored.add(scores)
                    try sink.add(records)
                }
            }
            collected.add(try await asked.1)
            done += chunk.count
            chunk = []
        }
        return (collected, scored)
    }

    /// Whether a run is still asking for answers (judging progress waits until they are all in).
    final class AskingFlag: Sendable {
        private let value: Atomic<Bool>

        init(_ value: Bool) { self.value = Atomic(value) }

        var isSet: Bool { value.load(ordering: .relaxed) }
        func clear() { value.store(false, ordering: .relaxed) }
    }

    /// The scorers of a run and the isolation its code runs under. The interpreter and the
    /// isolation are resolved once per run (scoring and fingerprints both need them); nothing
    /// is resolved for subjects known only from published counts: no interpreter, no sandbox, no warning.
    private func scoring(
        for suite: Suite, cache: RunStore?, progress: (@Sendable (RunProgress) -> Void)? = nil
    ) async throws -> (SampleScoring, Sandbox.Isolation?) {
        let asksAnything = suite.subjects.contains { !suite.isSummaryOnly($0.name) }
        let python = asksAnything && suite.probes.contains { $0.kind != .judged } ? try await resolvedPython() : nil
        let isolation = asksAnything && suite.probes.contains { $0.kind == .code } ? await resolvedIsolation() : nil
        var options = options
        options.progress = progress ?? options.progress
        return (try await SampleScoring.make(for: suite, python: python, isolation: isolation, options: options, cache: cache), isolation)
    }

    /// The places of labels drawn from a run: a streamed run keeps their answers for the judge's check.
    static func labelledPlaces(_ suite: Suite) -> Set<SampleKeeper.Place> {
        var places: Set<SampleKeeper.Place> = []
        for probe in suite.probes {
            guard let set = probe.judge.labels?.set, set.sampledRun != nil else { continue }
            for origin in set.labels.compactMap(\.origin) { places.insert(SampleKeeper.Place(slot: origin.slot, item: origin.item, sample: origin.sample)) }
        }
        return places
    }

    /// Every `api_key_env` must name a set variable before anything is asked.
    static func checkAPIKeys(_ suite: Suite, environment: GateEnvironment) throws {
        for subject in suite.subjects {
            if case .openAI(let configuration) = subject.provider, let variable = configuration.apiKeyVariable, environment[variable] == nil {
                throw ProviderError.missingAPIKey(variable: variable, who: "subject '\(subject.name)'")
            }
        }
        for probe in suite.probes {
            if let variable = probe.judge.llm?.endpoint.apiKeyVariable, environment[variable] == nil {
                throw ProviderError.missingAPIKey(variable: variable, who: "the judge of probe set '\(probe.name)'")
            }
        }
    }

    private func resolvedPython() async throws -> String {
        if let python = options.python { return python }
        return try await PythonInterpreter.resolve(environment: options.environment)
    }

    private func resolvedIsolation() async -> Sandbox.Isolation {
        if let isolation = options.isolation { return isolation }
        return await Sandbox.detect(environment: options.environment)
    }

    /// A run's id: its start in UTC to the second and a random suffix ("20261205T193538Z-9f3a2b1c").
    /// Written from the broken-down time, not with a `DateFormatter`: a process's first formatter
    /// loads ICU's calendar data (1–9 ms here), which every `ipgate run` paid before its first request.
    static func newRunID(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let day = digits(parts.tm_year + 1900, 4) + digits(parts.tm_mon + 1, 2) + digits(parts.tm_mday, 2)
        let time = digits(parts.tm_hour, 2) + digits(parts.tm_min, 2) + digits(parts.tm_sec, 2)
        return day + "T" + time + "Z-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }
}
