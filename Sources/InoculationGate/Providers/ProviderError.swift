/// A provider could not produce an answer.
package enum ProviderError: Error, Sendable, CustomStringConvertible {
    case unknownItem(probe: String, item: String)
    /// A request failed for good: not retryable, or out of attempts.
    case request(endpoint: String, model: String, status: Int?, message: String, attempts: Int, retryable: Bool)
    /// The server answered, but not with something usable.
    case unusable(endpoint: String, model: String, reason: String)
    /// `api_key_env` names a variable that is not set: nothing was sent.
    case missingAPIKey(variable: String, who: String)
    /// The check before the run found the endpoint unusable: nothing was generated.
    /// `problem` says what came back, `advice` what to check.
    case unreachable(endpoint: String, model: String, problem: String, advice: String)

    package var description: String {
        // Endpoints, model names and server messages come from outside: shown, never obeyed.
        TextSafety.visible(text)
    }

    private var text: String {
        switch self {
        case let .missingAPIKey(variable, who):
            return "\(who) reads its API key from \(variable), which is not set; set it (export \(variable)=…) or remove api_key_env — no request was sent"
        case let .unknownItem(probe, item): return "the reference organism has no item '\(item)' in probe set '\(probe)'"
        case let .request(endpoint, model, status, message, attempts, retryable):
            let what = status.map { "HTTP \($0)" } ?? "no response"
            let why = retryable ? "gave up after \(attempts) attempts" : "not retryable"
            return "\(endpoint) (model \(model)): \(what), \(why): \(message)"
        case let .unusable(endpoint, model, reason): return "\(endpoint) (model \(model)): unusable answer: \(reason)"
        case let .unreachable(endpoint, model, problem, advice):
            return "cannot use \(endpoint) (model \(model)): \(problem). \(advice)"
        }
    }
}
