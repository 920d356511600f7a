import Foundation

/// Runs a suite: plan → generate → score → measure → claim → compare.
public struct SuiteRunner: Sendable {
    public struct Options: Sendable {
        /// The Python interpreter for code probes; resolved from PATH when nil.
        public var python: String?
        /// Code samples executed at once.
        public var parallelism = ProcessInfo.processInfo.activeProcessorCount
        /// Seconds a test program may run.
        public var codeTimeLimit = 10.0
        /// How model-written code is isolated; detected when nil.
        public var isolation: Sandbox.Isolation?
        /// Ask the providers again instead of serving cached answers.
        public var refresh = false
        /// Called as answers arrive and are judged (from any thread; keep it quick).
        public var progress: (@Sendable (RunProgress) -> Void)?
        /// Where run-level warnings go (once per run); standard error by default.
        public var warn: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("ipgate: \($0)\n".utf8)) }

        public init() {}
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    /// Runs `suite`, storing the run in `runs` and comparing with `baselines` when given.
    public func run(_ suite: Suite, baselines: BaselineStore? = nil, runs: RunStore? = nil, gitCommit: String? = nil) async throws -> RunResult {
        let runID = Self.newRunID()
        try runs?.beginRun(id: runID, suite: suite, gitCommit: gitCommit)
        var timings = RunResult.Timings()
        do {
            var clock = Date()
            let answered = try await generate(suite, runs: runs, timings: &timings)
            timings.generation = Date().timeIntervalSince(clock)

            // Resolve the interpreter once per run: each lookup starts a Python process
            // (~0.2 s through a version-manager shim), and scoring and fingerprints both need it.
            let python = suite.probes.contains { $0.kind != .judged } ? try options.python ?? PythonInterpreter.resolve() : nil
            var isolation: Sandbox.Isolation?
            let samples = try await score(suite, answered, runs: runs, python: python, timings: &timings, isolation: &isolation)

            clock = Date()
            let statistics = suite.statistics
            let measures = Self.measures(suite, samples, confidence: statistics.confidence, python: python)
            let evaluator = ClaimEvaluator(suite: suite, measures: measures)
            let claims = evaluator.evaluate()
            let diagnoses = evaluator.diagnoses(claims)
            var comparisons: [BaselineComparison] = []
            if let baselines {
                var stored: [MeasureKey: StoredBaseline] = [:]
                for baseline in try baselines.all(suite: suite.name) { stored[baseline.record.key] = baseline }
                var comparator = BaselineComparator(settings: suite.baseline)
                comparator.multipleTesting = statistics.adjust
                comparator.confidence = statistics.confidence
                comparator.power = statistics.power
                comparisons = comparator.compare(measures: measures, baselines: stored, samples: samples)
            }
            timings.statistics = Date().timeIntervalSince(clock)

            clock = Date()
            try runs?.save(samples: samples, runID: runID)
            try runs?.save(measures: measures, runID: runID)
            try runs?.finishRun(id: runID, status: "finished")
            timings.storage = Date().timeIntervalSince(clock)
            return RunResult(
                runID: runID, suite: suite, gitCommit: gitCommit, samples: samples, measures: measures, claims: claims,
                diagnoses: diagnoses, comparisons: comparisons, timings: timings, isolation: isolation)
        } catch {
            try? runs?.finishRun(id: runID, status: "failed: \(error)")
            throw error
        }
    }

    static func newRunID(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// The requests of a suite, in a fixed order.
    public static func plan(_ suite: Suite) -> [GenerationRequest] {
        var requests: [GenerationRequest] = []
        for subject in suite.subjects {
            for condition in suite.conditions {
                for probe in suite.probes {
                    for item in probe.items {
                        for k in 0..<probe.samples {
                            requests.append(GenerationRequest(
                                subject: subject.name, condition: condition, probe: probe.name, itemID: item.id,
                                userText: item.prompt, sampleIndex: k, temperature: probe.temperature, maxTokens: probe.maxTokens,
                                topP: probe.topP, stop: probe.stop))
                        }
                    }
                }
            }
        }
        return requests
    }

    /// One provider per subject; subjects on one endpoint share its concurrency bound
    /// (the smallest any of them asks for).
    static func providers(for suite: Suite) -> [String: any ModelProvider] {
        var bounds: [String: Int] = [:]
        for subject in suite.subjects {
            if case .openAI(let configuration) = subject.provider {
                bounds[configuration.baseURL] = min(bounds[configuration.baseURL] ?? .max, configuration.concurrency)
            }
        }
        let limiters = bounds.mapValues { AsyncLimiter(limit: $0) }
        var providers: [String: any ModelProvider] = [:]
        for subject in suite.subjects {
            switch subject.provider {
            case .reference(let configuration):
                providers[subject.name] = ReferenceOrganism(configuration: configuration, probes: suite.probes)
            case .openAI(let configuration):
                providers[subject.name] = OpenAIProvider(configuration: configuration, limiter: limiters[configuration.baseURL])
            }
        }
        return providers
    }

    /// The cache key of a request: provider identity (no secrets), messages,
    /// generation parameters and the sample index — so K samples are K entries.
    public static func cacheKey(_ request: GenerationRequest, provider: any ModelProvider) -> String {
        let messages = request.messages.map { "\($0.role.rawValue)\u{1e}\($0.content)" }
        return StableHash.hex([
            "response-v1", provider.identity, String(request.temperature), String(request.maxTokens),
            String(request.sampleIndex), request.itemID,
        ] + messages + GenerationRequest.hashParts(topP: request.topP, stop: request.stop))
    }

    private func generate(_ suite: Suite, runs: RunStore?, timings: inout RunResult.Timings) async throws -> [(GenerationRequest, String)] {
        let providers = Self.providers(for: suite)
        let plan = Self.plan(suite)
        var answers = [String?](repeating: nil, count: plan.count)
        // Simulated answers cost nothing: progress is worth reporting only when a model is asked.
        let asksModels = providers.values.contains { $0.isCacheable }
        let failures: @Sendable () async -> Int = {
            var failed = 0
            for provider in providers.values { failed += await provider.failedAttempts }
            return failed
        }
        let tracker = ProgressTracker(phase: .generating, total: plan.count, report: asksModels ? options.progress : nil, failures: failures)

        // Serve what needs no request; gather the rest into groups of samples of
        // one prompt, so endpoints that honour `n` get one request per group.
        var missing: [[Int]] = []
        var cached = 0
        for (index, request) in plan.enumerated() {
            let provider = providers[request.subject]!
            if !provider.isCacheable {
                answers[index] = try await provider.generate(request)
                continue
            }
            if !options.refresh, let answer = try runs?.cachedAnswer(Self.cacheKey(request, provider: provider)) {
                answers[index] = answer
                cached += 1
                continue
            }
            if let last = missing.last?.last, index == last + 1, Self.samePrompt(plan[last], request) {
                missing[missing.count - 1].append(index)
            } else {
                missing.append([index])
            }
        }
        timings.answersCached = cached
        timings.answersRequested = missing.reduce(0) { $0 + $1.count }
        await tracker.add(done: plan.count - timings.answersRequested, cached: cached)

        try await withThrowingTaskGroup(of: [(Int, String)].self) { group in
            for indices in missing {
                let provider = providers[plan[indices[0]].subject]!
                group.addTask {
                    var remaining = indices
                    var received: [(Int, String)] = []
                    while !remaining.isEmpty {
                        let texts = try await provider.generate(samples: remaining.map { plan[$0] })
                        guard !texts.isEmpty else { throw ProviderError.unusable(endpoint: provider.identity, model: plan[remaining[0]].subject, reason: "no answer") }
                        for (index, text) in zip(remaining, texts) {
                            // Stored the moment it arrives: a killed run resumes from here.
                            try runs?.storeAnswer(text, key: Self.cacheKey(plan[index], provider: provider), provider: provider.identity)
                            received.append((index, text))
                        }
                        let count = min(texts.count, remaining.count)
                        remaining.removeFirst(count)
                        await tracker.add(done: count)
                    }
                    return received
                }
            }
            for try await batch in group {
                for (index, answer) in batch { answers[index] = answer }
            }
        }
        timings.failedAttempts += await failures()
        return zip(plan, answers).map { ($0, $1!) }
    }

    /// Whether two requests differ only in their sample index.
    static func samePrompt(_ a: GenerationRequest, _ b: GenerationRequest) -> Bool {
        a.subject == b.subject && a.condition == b.condition && a.probe == b.probe && a.itemID == b.itemID
    }

    private func score(
        _ suite: Suite, _ answered: [(GenerationRequest, String)], runs: RunStore?, python: String?, timings: inout RunResult.Timings,
        isolation: inout Sandbox.Isolation?
    ) async throws -> [SampleRecord] {
        let items = Dictionary(uniqueKeysWithValues: suite.probes.flatMap { probe in probe.items.map { (probe.name + "/" + $0.id, $0) } })
        var scores = [SampleScore?](repeating: nil, count: answered.count)
        var code: [(Int, CodeTask)] = []
        var vulnerable: [Int] = []
        var judgedByLLM: [(Int, LogprobJudge.Configuration)] = []
        var clock = Date()
        let judge = RubricJudge()
        let probes = Dictionary(uniqueKeysWithValues: suite.probes.map { ($0.name, $0) })
        for (index, (request, answer)) in answered.enumerated() {
            switch items[request.probe + "/" + request.itemID]!.content {
            case .code(let task): code.append((index, task))
            case .question:
                if let llm = probes[request.probe]?.judge.llm {
                    judgedByLLM.append((index, llm))
                } else {
                    scores[index] = judge.score(answer: answer)
                }
            case .vulnerability: vulnerable.append(index)
            }
        }
        if !judgedByLLM.isEmpty {
            let judges = Dictionary(
                judgedByLLM.map { ($0.1, LogprobJudge(configuration: $0.1, cache: runs, refresh: options.refresh)) },
                uniquingKeysWith: { a, _ in a })
            let failures: @Sendable () async -> Int = {
                var failed = 0
                for judge in judges.values { failed += await judge.failedAttempts }
                return failed
            }
            let tracker = ProgressTracker(phase: .judging, total: judgedByLLM.count, report: options.progress, failures: failures)
            try await withThrowingTaskGroup(of: (Int, SampleScore).self) { group in
                for (index, configuration) in judgedByLLM {
                    let llm = judges[configuration]!
                    let (request, answer) = answered[index]
                    group.addTask {
                        let (score, cached) = try await llm.judged(question: request.userText, answer: answer)
                        await tracker.add(done: 1, cached: cached ? 1 : 0)
                        return (index, score)
                    }
                }
                for try await (index, score) in group { scores[index] = score }
            }
            timings.failedAttempts += await failures()
        }
        timings.judging = Date().timeIntervalSince(clock)

        clock = Date()
        if !vulnerable.isEmpty {
            // Static analysis only: one Bandit run over the distinct code of the whole run.
            let scanner = VulnerabilityScorer(python: python!)
            let extracted = vulnerable.map { CodeExtractor.extract(answered[$0].1) }
            let distinct = Array(Set(extracted.compactMap { $0 })).sorted()
            let findings = Dictionary(uniqueKeysWithValues: zip(distinct, await scanner.scan(distinct)))
            for (index, code) in zip(vulnerable, extracted) {
                scores[index] = VulnerabilityScorer.score(code.flatMap { findings[$0] })
            }
        }
        timings.securityScan = Date().timeIntervalSince(clock)

        clock = Date()
        if !code.isEmpty {
            let scorer = CodeScorer(
                python: python!, timeLimit: options.codeTimeLimit,
                parallelism: options.parallelism, isolation: options.isolation)
            await withTaskGroup(of: (Int, SampleScore).self) { group in
                for (index, task) in code {
                    let answer = answered[index].1
                    group.addTask { (index, await scorer.score(answer: answer, task: task)) }
                }
                for await (index, score) in group { scores[index] = score }
            }
            timings.programsExecuted = await scorer.executions
            isolation = scorer.sandbox.isolation
            if case .limitsOnly = scorer.sandbox.isolation {
                // Once per run, where a person will see it even if the report is piped away.
                options.warn(scorer.sandbox.isolation.description)
            }
        }
        timings.codeExecution = Date().timeIntervalSince(clock)
        return zip(answered, scores).map { pair, score in
            SampleRecord(
                subject: pair.0.subject, condition: pair.0.condition.name, probe: pair.0.probe, itemID: pair.0.itemID,
                sampleIndex: pair.0.sampleIndex, answer: pair.1, score: score!)
        }
    }

    /// Every measure of every subject under every condition.
    public static func measures(_ suite: Suite, _ samples: [SampleRecord], confidence: Double, python: String? = nil) -> [MeasureResult] {
        let vulnerabilityVersion = suite.probes.contains { $0.kind == .vulnerability }
            ? VulnerabilityScorer.fingerprint(python: python ?? (try? PythonInterpreter.resolve()) ?? "/usr/bin/python3") : ""
        var grouped: [String: [SampleRecord]] = [:]
        for sample in samples { grouped["\(sample.subject)\u{1f}\(sample.condition)\u{1f}\(sample.probe)", default: []].append(sample) }
        var results: [MeasureResult] = []
        for subject in suite.subjects {
            for condition in suite.conditions {
                for spec in suite.measures {
                    let probe = suite.probe(named: spec.probe)!
                    var outcomes = ItemOutcomes()
                    for sample in grouped["\(subject.name)\u{1f}\(condition.name)\u{1f}\(spec.probe)"] ?? [] {
                        let (successes, trials) = Self.count(sample.score, metric: spec.metric, judge: probe.judge)
                        outcomes.add(item: sample.itemID, successes: successes, trials: trials)
                    }
                    let key = MeasureKey(suite: suite.name, subject: subject.name, condition: condition.name, measure: spec.name)
                    results.append(MeasureResult(
                        key: key, spec: MeasureSpecSnapshot(spec), outcomes: outcomes,
                        estimate: spec.metric.estimate(outcomes, confidence: confidence),
                        fingerprint: Fingerprint(
                            suite: suite, subject: subject, condition: condition, measure: spec,
                            scorerVersion: probe.kind == .vulnerability ? vulnerabilityVersion : nil)))
                }
            }
        }
        return results
    }

    /// What one sample contributes to a metric: (successes, trials).
    static func count(_ score: SampleScore, metric: MeasureSpec.Metric, judge: JudgeSettings) -> (Double, Double) {
        switch metric {
        case .passRate:
            return (score.passed ? 1 : 0, 1)
        case .misalignedRate:
            guard score.isCoherent(judge) else { return (0, 0) }
            return (score.isMisaligned(judge) ? 1 : 0, 1)
        case .coherentRate:
            return (score.isCoherent(judge) ? 1 : 0, 1)
        case .meanAlignment:
            guard score.isCoherent(judge), let alignment = score.alignment else { return (0, 0) }
            return (alignment, 1)
        case .insecureRate:
            guard let insecure = score.insecure else { return (0, 0) }
            return (insecure ? 1 : 0, 1)
        }
    }
}
