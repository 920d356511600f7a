import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A model behind an OpenAI-compatible chat-completions endpoint (vLLM, SGLang,
/// llama.cpp server, Ollama, TGI, hosted APIs).
///
/// Bounded concurrency per provider; retries with jittered exponential backoff
/// on 429, 5xx, timeouts, connection errors and unusable answers, honouring
/// `Retry-After`; errors that retrying cannot fix (400, 401, 403, 404, 422) stop
/// with the endpoint, model, status and the server's message. The API key is
/// read from the environment variable the suite names and goes only into the
/// `Authorization` header — never into identities, cache keys or messages.
package struct OpenAIProvider: ModelProvider {
    package struct Configuration: Sendable, Hashable {
        /// e.g. `http://127.0.0.1:8000/v1`.
        package var baseURL: String
        package var model: String
        /// The environment variable holding the API key, if the endpoint needs one.
        package var apiKeyVariable: String?
        package var concurrency: Int = 8
        package var timeout: Double = 120
        package var retry = RetryPolicy()
        /// Ask for several samples of one prompt in one request (`n`). Servers that
        /// ignore `n` are detected on the first answer and asked one sample at a time.
        package var batchesSamples = true

        package init(baseURL: String, model: String, apiKeyVariable: String? = nil) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.model = model
            self.apiKeyVariable = apiKeyVariable
        }
    }

    package let configuration: Configuration
    private let limiter: AsyncLimiter
    private let apiKey: String?
    private let state = State()
    private let notice: (@Sendable (String) -> Void)?
    /// Parsed once; `nil` for a base URL that is not one (each request then fails with why).
    private let completionsURL: URL?
    private let headers: HTTPHeaders

    /// - Parameter limiter: shared by providers that reach one endpoint (subjects that are
    ///   adapters on one server), so the endpoint, not each subject, sees the bound.
    /// - Parameter notice: where to say what the endpoint check could not verify (once).
    package init(
        configuration: Configuration, limiter: AsyncLimiter? = nil, environment: GateEnvironment,
        notice: (@Sendable (String) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.notice = notice
        self.limiter = limiter ?? AsyncLimiter(limit: configuration.concurrency)
        apiKey = configuration.apiKeyVariable.flatMap { environment[$0] }
        completionsURL = URL(string: configuration.baseURL + "/chat/completions")
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        if let apiKey { headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        self.headers = headers
    }

    package var identity: String { "openai:\(configuration.baseURL):\(configuration.model)" }

    package var isCacheable: Bool { true }

    /// HTTP requests sent so far (retries included).
    package var requestsSent: Int { get async { await state.requests } }

    package var failedAttempts: Int { get async { await state.failures } }

    package var lastFailure: String? { get async { await state.lastFailure } }

    package var endpoint: String? { configuration.baseURL }

    package var concurrency: Int { configuration.concurrency }

    package var executor: (any TaskExecutor)? { HTTPExchange.executor }

    /// Checks the endpoint once, before the first request (``EndpointCheck``): a dead or
    /// misconfigured server stops the run in seconds. Runs served from the cache never call it.
    func checkEndpointOnce() async throws {
        let (task, first) = await state.check { [configuration, apiKey] in
            try await EndpointCheck.check(configuration, apiKey: apiKey)
        }
        if case .unverified(let note) = try await task.value, first { notice?(note) }
    }

    /// Whether the endpoint answered a request for several samples with fewer.
    package var ignoresN: Bool { get async { await state.ignoresN } }

    package func generate(_ request: GenerationRequest) async throws -> String {
        try await generate(samples: [request])[0]
    }

    /// One request for all `requests` (`n` = their count) unless the endpoint is
    /// known to ignore `n`; then one request for the first. The seed is the first
    /// sample's, so a server that honours seeds gives sample 0 the same answer
    /// either way.
    package func generate(samples requests: [GenerationRequest]) async throws -> [String] {
        // On the client's loop from encoding to decoding: one switch there and one back, none
        // at all for a caller that already prefers it (see HTTPExchange.executor).
        try await withTaskExecutorPreference(HTTPExchange.executor) { try await exchange(requests) }
    }

    private func exchange(_ requests: [GenerationRequest]) async throws -> [String] {
        guard let first = requests.first else { return [] }
        let n = samplesPerRequest(requests.count, ignoresN: await state.ignoresN)
        let response = try await complete(body(for: first, n: n))
        // The leading samples that came back; the collector asks again for the rest.
        let contents = Array(response.contents(n: n).prefix { $0 != nil }.map { $0! })
        guard !contents.isEmpty else {
            throw ProviderError.unusable(endpoint: configuration.baseURL, model: configuration.model, reason: "no message content")
        }
        // Fewer choices than asked is a server that ignores `n`; a choice without content is not.
        if n > 1, response.choices.count < n { await state.noteIgnoresN() }
        return contents
    }

    /// How many samples one request asks for (`n`): all of a group unless the endpoint
    /// is known to ignore `n` or the suite says not to batch them.
    func samplesPerRequest(_ count: Int, ignoresN: Bool) -> Int {
        configuration.batchesSamples && count > 1 && !ignoresN ? count : 1
    }

    /// The body of the request for `first` and the `n − 1` samples after it — the one
    /// live requests send and `ipgate batch export` writes, byte for byte.
    func body(for first: GenerationRequest, n: Int) -> ChatCompletion.Request {
        ChatCompletion.Request(
            model: configuration.model, messages: first.messages, temperature: first.temperature,
            max_tokens: first.maxTokens, seed: Self.seed(for: first), n: n == 1 ? nil : n, top_p: first.topP,
            stop: first.stop.isEmpty ? nil : first.stop)
    }

    /// Sends one chat-completions request, retrying what can be retried.
    func complete(_ body: ChatCompletion.Request) async throws -> ChatCompletion.Response {
        let payload = body.json()
        try await checkEndpointOnce()
        var attempt = 0
        while true {
            attempt += 1
            let outcome = await limiter.run { await self.send(payload) }
            switch outcome {
            case .success(let response):
                return response
            case .failure(let failure):
                await state.noteFailure(failure.summary)
                guard failure.retryable, attempt < configuration.retry.maxAttempts else {
                    throw failure.error(endpoint: configuration.baseURL, model: configuration.model, attempts: attempt)
                }
                let delay = configuration.retry.delay(afterAttempt: attempt, retryAfter: failure.retryAfter)
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            }
        }
    }

    /// The per-sample seed: servers that honour it make sample k reproducible.
    static func seed(for request: GenerationRequest) -> Int {
        Int(StableHash.uint64(["sample-seed", request.itemID, String(request.sampleIndex)]) >> 33)
    }

    private func send(_ payload: Data) async -> Result<ChatCompletion.Response, Failure> {
        await state.noteRequest()
        do {
            let answer = try await HTTPExchange.perform(
                completionsURL, method: .POST, headers: headers, body: payload, timeout: configuration.timeout, limit: 32 << 20)
            let (status, data) = (answer.status, answer.body)
            guard (200..<300).contains(status) else {
                let message = (try? JSONDecoder().decode(ChatCompletion.ErrorBody.self, from: data))?.error?.message
                    ?? String(decoding: data.prefix(300), as: UTF8.self)
                let retryable = status == 408 || status == 409 || status == 429 || status >= 500
                return .failure(Failure(
                    retryable: retryable, status: status, message: message,
                    retryAfter: RetryPolicy.parseRetryAfter(answer.headers.first(name: "Retry-After"))))
            }
            var decoded: ChatCompletion.Response
            if let read = ChatCompletionReader.read(data) {
                decoded = read
            } else if let strict = try? JSONDecoder().decode(ChatCompletion.Response.self, from: data) {
                decoded = strict
            } else {
                // Text that is not Unicode is that answer's problem, not the run's: replaced and counted.
                let (repaired, replacements) = LenientJSON.repaired(data)
                guard replacements > 0, let lenient = try? JSONDecoder().decode(ChatCompletion.Response.self, from: repaired) else {
                    return .failure(Failure(retryable: true, status: status, message: "malformed JSON in the answer", retryAfter: nil))
                }
                decoded = lenient
                await state.noteRepaired(replacements)
                notice?("\(TextSafety.visible(configuration.baseURL)) (model \(TextSafety.visible(configuration.model))) sent text that is not valid Unicode (bytes that are not UTF-8, or a lone surrogate); each such character is replaced by U+FFFD in the answer, which is kept and scored")
            }
            guard !decoded.choices.isEmpty else {
                return .failure(Failure(retryable: true, status: status, message: "the answer has no choices", retryAfter: nil))
            }
            // `content: null` with nothing else to read is no answer either: retried like one.
            guard decoded.choices.contains(where: { $0?.message?.content != nil || $0?.logprobs?.content != nil }) else {
                return .failure(Failure(retryable: true, status: status, message: "the answer has no message content (content: null)", retryAfter: nil))
            }
            return .success(decoded)
        } catch {
            let summary = EndpointCheck.explain(error, baseURL: configuration.baseURL, deadline: configuration.timeout).problem
            return .failure(Failure(retryable: true, status: nil, message: "\(error)", retryAfter: nil, brief: summary))
        }
    }

    struct Failure: Error {
        var retryable: Bool
        var status: Int?
        var message: String
        var retryAfter: Double?
        /// A few words for progress lines (the message itself can be long).
        var brief: String?

        init(retryable: Bool, status: Int?, message: String, retryAfter: Double?, brief: String? = nil) {
            self.retryable = retryable
            self.status = status
            // A server's words reach progress lines and CI logs: shown, never obeyed.
            self.message = TextSafety.visible(message)
            self.retryAfter = retryAfter
            self.brief = brief
        }

        var summary: String {
            if let brief { return brief }
            let text = message.count > 80 ? String(message.prefix(80)) + "…" : message
            return (status.map { "HTTP \($0): " } ?? "") + text
        }

        func error(endpoint: String, model: String, attempts: Int) -> ProviderError {
            .request(endpoint: endpoint, model: model, status: status, message: message, attempts: attempts, retryable: retryable)
        }
    }

    /// What the provider learns while it runs: requests sent, failures (and the last one's cause), and whether
    /// the endpoint ignores `n`.
    private actor State {
        var requests = 0
        var failures = 0
        var ignoresN = false
        var lastFailure: String?
        var endpointCheck: Task<EndpointCheck.Outcome, Error>?
        func noteRequest() { requests += 1 }
        func noteFailure(_ summary: String) {
            failures += 1
            lastFailure = summary
        }
        func noteIgnoresN() { ignoresN = true }
        /// Characters replaced by U+FFFD because the server sent text that is not Unicode.
        var replacedCharacters = 0
        var repairedAnswers = 0
        func noteRepaired(_ count: Int) {
            replacedCharacters += count
            repairedAnswers += 1
        }
        /// The one check of the endpoint, and whether this caller started it.
        func check(_ make: @escaping @Sendable () async throws -> EndpointCheck.Outcome) -> (Task<EndpointCheck.Outcome, Error>, first: Bool) {
            if let endpointCheck { return (endpointCheck, false) }
            let task = Task { try await make() }
            endpointCheck = task
            return (task, true)
        }
    }
}
