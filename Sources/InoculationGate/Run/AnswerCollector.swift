import Foundation

/// Collects an answer for every request of a plan: simulated subjects answer
/// directly, cached answers are served from the runs database, and the rest are
/// asked of the models — several samples of one prompt in one request where the
/// endpoint honours `n` — and stored the moment they arrive, so a killed run
/// resumes from where it stopped.
struct AnswerCollector: Sendable {
    /// What collecting cost.
    struct Stats: Sendable {
        var seconds = 0.0
        var cached = 0
        var requested = 0
        var failedAttempts = 0
        /// Answers left out because their requests failed (only with `toleratesFailures`).
        var lost = 0
        var firstFailure: ProviderError?

        /// Adds a later part's costs (attempt counts are the providers' running totals).
        mutating func add(_ other: Stats) {
            seconds += other.seconds
            cached += other.cached
            requested += other.requested
            failedAttempts = other.failedAttempts
            lost += other.lost
            firstFailure = firstFailure ?? other.firstFailure
        }
    }

    /// Requests that failed after every attempt, in a run that tolerates them.
    actor FailedRequests {
        private(set) var count = 0
        private(set) var first: ProviderError?

        func record(_ error: ProviderError, count: Int) {
            self.count += count
            if first == nil { first = error }
        }
    }

    let providers: [String: any ModelProvider]
    let cache: (any ResponseCache)?
    let refresh: Bool
    var progress: (@Sendable (RunProgress) -> Void)?
    /// Serve only what the cache has, and throw ``MissingAnswers`` with the rest instead
    /// of asking (the next round of an adaptive run exported as a batch).
    var cacheOnly = false

    /// Leave out the answers whose requests failed after every attempt instead of failing the
    /// run (``Stats/lost`` counts them, ``Stats/firstFailure`` says why); an adaptive round
    /// draws them again and then imputes them.
    var toleratesFailures = false

    /// The requests of a plan that a cache-only collector could not serve.
    struct MissingAnswers: Error {
        var requests: [GenerationRequest]
    }

    /// The cache key of a request: provider identity (no secrets), messages,
    /// generation parameters and the sample index — so K samples are K entries.
    static func cacheKey(_ request: GenerationRequest, provider: any ModelProvider) -> String {
        cacheKey(request, prefix: keyPrefix(provider))
    }

    /// The parts every key of `provider` begins with.
    static func keyPrefix(_ provider: any ModelProvider) -> StableHash.Parts {
        var parts = StableHash.Parts(capacity: 64)
        parts.append("response-v1")
        parts.append(provider.identity)
        return parts
    }

    /// The key of `request` after its provider's `prefix` (``keyPrefix(_:)``).
    static func cacheKey(_ request: GenerationRequest, prefix: StableHash.Parts) -> String {
        // The canonical join of ["response-v1", identity, temperature, max tokens, sample index,
        // item id, "role␞content" per message, top_p and stop parts], written without building
        // it (a key per request). A role never contains U+001E, so the split is unambiguous.
        var parts = prefix
        parts.reserveCapacity(prefix.bytes.count + 96 + request.itemID.utf8.count + request.messages.reduce(0) { $0 + $1.content.utf8.count })
        parts.append(String(request.temperature))
        parts.append(String(request.maxTokens))
        parts.append(String(request.sampleIndex))
        parts.append(request.itemID)
        for message in request.messages { parts.append(message.role.rawValue, 0x1e, message.content) }
        if request.topP != nil || !request.stop.isEmpty {
            for part in GenerationRequest.hashParts(topP: request.topP, stop: request.stop) { parts.append(part) }
        }
        return parts.hex
    }

    /// Answers for every request of `plan`, in plan order (those whose requests failed left out,
    /// in a run that tolerates failures). With `arrivals`, each answer goes there as it comes —
    /// scoring takes them while the rest are asked — and the list returned is empty.
    func collect(_ plan: RunPlan, into arrivals: AnswerArrivals? = nil) async throws -> ([Answer], Stats) {
        do {
            return try await collectAll(plan, into: arrivals)
        } catch {
            arrivals?.fail(error)
            throw error
        }
    }

    /// The answer to `request`, with the score that came with it, if any.
    func answer(_ request: GenerationRequest, text: String) throws -> Answer {
        Answer(request: request, text: text, importedScore: try providers[request.subject]?.importedScore(for: request))
    }

    private func collectAll(_ plan: RunPlan, into arrivals: AnswerArrivals?) async throws -> ([Answer], Stats) {
        let started = Date()
        let requests = plan.requests
        var stats = Stats()
        var answers = [String?](repeating: nil, count: requests.count)
        let providers = self.providers
        // Simulated answers cost nothing: progress is worth reporting only when a model is asked.
        let asksModels = providers.values.contains { $0.isCacheable }
        let failureCounts: ProgressTracker.Failures = {
            var failed = 0
            var last: String?
            for provider in providers.values {
                failed += await provider.failedAttempts
                last = await provider.lastFailure ?? last
            }
            return (failed, last)
        }
        let tracker = ProgressTracker(phase: .generating, total: requests.count, report: asksModels ? progress : nil, failures: failureCounts)
        // Answers that need no request go to `arrivals` a batch at a time.
        var served: [(Int, String)] = []
        func keep(_ index: Int, _ text: String) {
            guard let arrivals else { return answers[index] = text }
            served.append((index, text))
            if served.count >= AnswerArrivals.batch {
                arrivals.arrived(served)
                served = []
            }
        }

        // Serve what needs no request; gather the rest into groups of samples of
        // one prompt, so endpoints that honour `n` get one request per group.
        var missing: [[Int]] = []
        let keys = cacheKeys(requests)
        for (index, request) in requests.enumerated() where keys[index] == nil {
            keep(index, try await provider(for: request).generate(request))
        }
        let cached = refresh ? [:] : try cache?.cachedAnswers(keys.compactMap { $0 }) ?? [:]
        for (index, key) in keys.enumerated() {
            guard let key else { continue }
            if let answer = cached[key] {
                keep(index, answer)
                stats.cached += 1
            } else {
                Self.group(index, into: &missing, requests: requests)
            }
        }
        arrivals?.arrived(served)
        served = []
        if cacheOnly, !missing.isEmpty { throw MissingAnswers(requests: missing.flatMap { $0.map { requests[$0] } }) }
        stats.requested = missing.reduce(0) { $0 + $1.count }
        await tracker.add(done: requests.count - stats.requested, cached: stats.cached)
        // Per subject asked, not per request group.
        let asked = Set(Set(missing.map { requests[$0[0]].subject }).compactMap { providers[$0]?.endpoint }).sorted()
        await tracker.startHeartbeat(waitingFor: asked.isEmpty ? nil : asked.joined(separator: ", "))
        defer { Task { await tracker.stop() } }

        let failures = FailedRequests()
        let writer = missing.isEmpty ? nil : cache.map(AnswerWriter.init)
        let workers = Workers(
            requests: requests, cacheKeys: keys, writer: writer, arrivals: arrivals, failures: failures, tracker: tracker,
            reportsProgress: asksModels && progress != nil, toleratesFailures: toleratesFailures)
        // Per subject, as many workers as its provider sends at once, each taking the next group
        // of the subject's queue until none is left: no task per request, every endpoint busy
        // from the start, and on the provider's executor (its HTTP client's loop) a request, its
        // answer and queueing that answer for storage cost no thread switch.
        var queues: [String: [[Int]]] = [:]
        for indices in missing { queues[requests[indices[0]].subject, default: []].append(indices) }
        do {
            try await withThrowingTaskGroup(of: [(Int, String)].self) { group in
                for groups in queues.values {
                    let provider = try provider(for: requests[groups[0][0]])
                    let queue = WorkQueue(groups)
                    for _ in 0..<min(groups.count, max(1, provider.concurrency)) {
                        group.addTask(executorPreference: provider.executor) { try await workers.work(queue, provider: provider) }
                    }
                }
                for try await received in group {
                    for (index, answer) in received { answers[index] = answer }
                }
            }
        } catch {
            // What arrived before the failure is kept: a rerun asks only for the rest.
            _ = try? await writer?.flush()
            throw error
        }
        // Scoring takes the last answers while the writer commits them: neither waits for the other.
        arrivals?.finish()
        try await writer?.flush()
        await tracker.stop()
        (stats.lost, stats.firstFailure) = await (failures.count, failures.first)
        stats.failedAttempts = await failureCounts().count
        stats.seconds = Date().timeIntervalSince(started)
        return (try zip(requests, answers).compactMap { request, text in try text.map { try answer(request, text: $0) } }, stats)
    }

    /// The cache key of every request whose provider's answers are cached (nil for the rest).
    /// A large plan's keys are hashed on every core: nothing is asked until they are all known.
    private func cacheKeys(_ requests: [GenerationRequest]) -> [String?] {
        // Each subject's key prefix once, not once per request (a subject without a provider
        // has no key; asking it throws).
        var prefixBySubject: [String: StableHash.Parts] = [:]
        for (subject, provider) in self.providers where provider.isCacheable { prefixBySubject[subject] = Self.keyPrefix(provider) }
        let prefixes = requests.map { prefixBySubject[$0.subject] }
        let parts = requests.count >= 4_096 ? ProcessInfo.processInfo.activeProcessorCount : 1
        let stride = (requests.count + parts - 1) / max(parts, 1)
        return [String?](unsafeUninitializedCapacity: requests.count) { keys, initialized in
            let base = DisjointSlots(start: keys.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for index in part * stride..<min(requests.count, (part + 1) * stride) {
                    (base.start + index).initialize(to: prefixes[index].map { Self.cacheKey(requests[index], prefix: $0) })
                }
            }
            initialized = requests.count
        }
    }

    /// An array's storage written by several threads at once, each to its own indices.
    private struct DisjointSlots: @unchecked Sendable {
        let start: UnsafeMutablePointer<String?>
    }

    private func provider(for request: GenerationRequest) throws -> any ModelProvider {
        guard let provider = providers[request.subject] else {
            throw ProviderError.unusable(endpoint: "—", model: request.subject, reason: "no provider for subject '\(request.subject)'")
        }
        return provider
    }

    /// Adds request `index` to the last group when it is the next sample of the same
    /// prompt, else starts a group: endpoints that honour `n` get one request per group.
    static func group(_ index: Int, into groups: inout [[Int]], requests: [GenerationRequest]) {
        if let last = groups.last?.last, index == last + 1, samePrompt(requests[last], requests[index]) {
            groups[groups.count - 1].append(index)
        } else {
            groups.append([index])
        }
    }

    /// Whether two requests differ only in their sample index.
    static func samePrompt(_ a: GenerationRequest, _ b: GenerationRequest) -> Bool {
        a.slot == b.slot && a.itemID == b.itemID
    }

    /// One provider per subject; subjects on one endpoint share its concurrency bound
    /// (the smallest any of them asks for). API keys come from `environment`.
    static func providers(
        for suite: Suite, environment: GateEnvironment, overrides: SuiteRunner.RequestOverrides = .init(),
        notice: (@Sendable (String) -> Void)? = nil
    ) -> [String: any ModelProvider] {
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
            case .reference(var configuration):
                configuration.noise = configuration.noise ?? environment.organismNoise
                providers[subject.name] = ReferenceOrganism(configuration: configuration, probes: suite.probes)
            case .openAI(let configuration):
                providers[subject.name] = OpenAIProvider(
                    configuration: overrides.applied(to: configuration), limiter: limiters[configuration.baseURL],
                    environment: environment, notice: notice)
            case .recorded(let spec):
                providers[subject.name] = RecordedProvider(subject: subject.name, spec: spec, suite: suite)
            }
        }
        return providers
    }
}
