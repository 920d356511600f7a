import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A quick look at an OpenAI-compatible endpoint before a run asks it anything.
///
/// One `GET …/models` with a short deadline: a dead server, a misspelt host, a
/// TLS mismatch, a refused key or a model the server does not serve stops the
/// run in seconds with one sentence — what was tried, what came back, what to
/// check — instead of every request waiting out its retries in silence.
package enum EndpointCheck {
    /// What the check found, when it did not stop the run.
    package enum Outcome: Sendable, Hashable {
        /// The endpoint answered and serves the model.
        case ready
        /// The check could not tell (no model list, slow answer); the run goes on and says why.
        case unverified(String)
    }

    /// Checks `configuration`'s endpoint, throwing ``ProviderError/unreachable(endpoint:model:problem:advice:)``
    /// when it cannot serve the run.
    /// - Parameter deadline: seconds for the whole check (connecting included).
    package static func check(
        _ configuration: OpenAIProvider.Configuration, apiKey: String?, deadline: Double = 5
    ) async throws -> Outcome {
        let endpoint = configuration.baseURL
        let model = configuration.model
        func unreachable(_ problem: String, _ advice: String) -> ProviderError {
            .unreachable(endpoint: endpoint, model: model, problem: problem, advice: advice)
        }
        if let url = URL(string: endpoint), let host = url.host, url.scheme == "http" || url.scheme == "https",
           await ConnectProbe.refused(host: host, port: url.port ?? (url.scheme == "https" ? 443 : 80)) {
            let place = url.port.map { "\(host):\($0)" } ?? host
            throw unreachable("nothing is listening on \(place) (connection refused)",
                              "Is the server running? Start it, or point base_url (or IPGATE_<SUBJECT>_BASE_URL) at where it listens.")
        }
        let listing: (status: Int, body: Data)
        do {
            listing = try await send(path: "/models", method: .GET, body: nil, apiKey: apiKey, baseURL: endpoint, deadline: deadline)
        } catch {
            let (problem, advice, stops) = explain(error, baseURL: endpoint, deadline: deadline)
            if stops { throw unreachable(problem, advice) }
            return .unverified("\(endpoint): \(problem); going on — the first requests will tell")
        }
        switch listing.status {
        case 200..<300: break
        case 401, 403:
            let variable = configuration.apiKeyVariable.map { "the key in \($0)" } ?? "an API key (set api_key_env)"
            throw unreachable("GET /models was refused with HTTP \(listing.status)", "Check \(variable).")
        default:
            // Many servers have no model list (or put it elsewhere); that says nothing about chat.
            return .unverified("\(endpoint): GET /models answered HTTP \(listing.status); the model could not be checked")
        }
        guard let served = servedModels(listing.body), !served.isEmpty else { return .ready }
        if served.contains(model) { return .ready }
        // Some servers (llama.cpp's) list one name and answer to any: ask once before calling it wrong.
        let shown = served.prefix(8).joined(separator: ", ") + (served.count > 8 ? ", …" : "")
        let ping = #"{"max_tokens":1,"messages":[{"content":"ping","role":"user"}],"model":"# + jsonString(model) + "}"
        if let answer = try? await send(
            path: "/chat/completions", method: .POST, body: Data(ping.utf8), apiKey: apiKey, baseURL: endpoint, deadline: max(deadline, 30)),
            (400..<500).contains(answer.status) {
            throw unreachable(
                "the server does not serve model '\(model)' (HTTP \(answer.status); it serves: \(shown))",
                "Check the subject's model (or IPGATE_<SUBJECT>_MODEL, or the profile).")
        }
        return .unverified("\(endpoint) does not list model '\(model)' (it lists: \(shown)) but answers for it")
    }

    /// The model ids of an OpenAI `GET /models` answer, or nil when it is not one.
    static func servedModels(_ data: Data) -> [String]? {
        struct Listing: Decodable {
            struct Model: Decodable { var id: String }
            var data: [Model]
        }
        return (try? JSONDecoder().decode(Listing.self, from: data))?.data.map(\.id)
    }

    /// What a transport error means for a person: the problem, what to check, and whether it stops the run.
    static func explain(_ error: Error, baseURL: String, deadline: Double) -> (problem: String, advice: String, stops: Bool) {
        let url = URL(string: baseURL)
        let host = url?.host ?? baseURL
        let place = url?.port.map { "\(host):\($0)" } ?? host
        let text = String(describing: error) + " " + String(reflecting: error)
        let lower = text.lowercased()
        if lower.contains("connection refused") || lower.contains("errno: 111") || lower.contains("econnrefused") {
            return ("nothing is listening on \(place) (connection refused)",
                    "Is the server running? Start it, or point base_url (or IPGATE_<SUBJECT>_BASE_URL) at where it listens.", true)
        }
        if lower.contains("socketaddresserror") || lower.contains("dnsa") || lower.contains("name or service not known")
            || lower.contains("unknown(host") || lower.contains("name resolution") || lower.contains("nodename") {
            return ("the host '\(host)' could not be resolved",
                    "Check the spelling of base_url, and the network or VPN if the host is remote.", true)
        }
        if lower.contains("ssl") || lower.contains("tls") || lower.contains("handshake") || lower.contains("certificate") {
            let scheme = url?.scheme ?? "?"
            return ("the TLS handshake with \(place) failed" + (tlsReason(text).map { " (\($0))" } ?? ""),
                    scheme == "https" ? "Does the server speak HTTPS? A local server usually wants http://." : "Check the server's certificate.", true)
        }
        if let client = error as? HTTPClientError, client == .connectTimeout {
            return ("connecting to \(place) timed out",
                    "Is the host reachable (firewall, VPN, the right port)?", true)
        }
        if let client = error as? HTTPClientError, client == .deadlineExceeded || client == .readTimeout {
            return ("\(place) accepted the connection but did not answer GET /models within \(Int(deadline)) s", "", false)
        }
        return ("GET /models failed: \(firstLine(text))", "Check that base_url points at an OpenAI-compatible server (it usually ends in /v1).", true)
    }

    /// BoringSSL's reason, e.g. `WRONG_VERSION_NUMBER` (the rest is noise for a person).
    static func tlsReason(_ text: String) -> String? {
        guard let range = text.range(of: "OPENSSL_internal:") else { return nil }
        let reason = text[range.upperBound...].prefix { $0.isUppercase || $0 == "_" || $0.isNumber }
        return reason.isEmpty ? nil : String(reason)
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "").trimmingCharacters(in: .whitespaces)
    }

    private static func jsonString(_ value: String) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    private static func send(
        path: String, method: HTTPMethod, body: Data?, apiKey: String?, baseURL: String, deadline: Double
    ) async throws -> (status: Int, body: Data) {
        var headers = HTTPHeaders()
        if let apiKey { headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let answer = try await HTTPExchange.perform(
            URL(string: baseURL + path), method: method, headers: headers, body: body, timeout: deadline, limit: 8 << 20)
        return (answer.status, answer.body)
    }
}
