import Foundation
import Testing
@testable import InoculationGate

/// The request path's own parts: the body writer against Foundation's encoder, and the plain
/// HTTP client on what real servers do to kept-alive connections and to cancelled requests.
@Suite("Request path")
struct HTTPPathTests {
    @Test("request bodies are the bytes JSONEncoder with sorted keys writes, for 3,000 seeded requests")
    func bodyBytesEqualTheEncoders() throws {
        var random = SeededRandom(seed: 20261204)
        let pieces = [
            "a", "Z", " ", "/", "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{85}",
            "é", "ß", "\u{2028}", "\u{202E}", "😀", "👩‍💻", "中文", "{\"k\": [1, 2]}", "</script>", "0.5", "e+10",
        ]
        func text(_ length: Int) -> String {
            (0..<length).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
        }
        func number() -> Double {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: [0, 1, 0.7, 0.95, 2, 1.5, -0.0, 100][Int.random(in: 0..<8, using: &random)]
            case 1: Double(Int.random(in: 0...2_000, using: &random)) / 1_000
            case 2: Double.random(in: 0...2, using: &random)
            case 3: Double.random(in: 1e-9...1e-4, using: &random)
            case 4: Double.random(in: 1e15...1e20, using: &random)
            default: Double(Int.random(in: -5...5, using: &random))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for index in 0..<3_000 {
            let roles: [ChatMessage.Role] = [.system, .user, .assistant]
            let messages = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                ChatMessage(role: roles[Int.random(in: 0..<3, using: &random)], content: text(Int.random(in: 0...40, using: &random)))
            }
            let request = ChatCompletion.Request(
                model: text(Int.random(in: 1...6, using: &random)), messages: messages, temperature: number(),
                max_tokens: Int.random(in: 1...1_000_000, using: &random),
                seed: Bool.random(using: &random) ? Int.random(in: 0...Int(Int32.max), using: &random) : nil,
                n: Bool.random(using: &random) ? Int.random(in: 2...64, using: &random) : nil,
                top_p: Bool.random(using: &random) ? number() : nil,
                stop: Bool.random(using: &random) ? (0..<Int.random(in: 0...3, using: &random)).map { _ in text(3) } : nil,
                logprobs: Bool.random(using: &random) ? Bool.random(using: &random) : nil,
                top_logprobs: Bool.random(using: &random) ? Int.random(in: 0...20, using: &random) : nil)
            let expected = try encoder.encode(request)
            let written = request.json()
            #expect(written == expected, "request \(index): \(String(decoding: written, as: UTF8.self)) ≠ \(String(decoding: expected, as: UTF8.self))")
            if written != expected { return }
        }
    }

    @Test("a kept-alive connection the server drops as it is reused is replaced without a failed attempt")
    func staleKeepAliveConnectionIsReplaced() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let provider = ProviderTests.provider(server, "stale")
        for index in 0..<6 {
            let answer = try await provider.generate(ProviderTests.request("Question \(index)?"))
            #expect(answer.hasSuffix("Question \(index)?"), "answer \(index): \(answer)")
        }
        let stats = try server.stats()
        #expect(await provider.failedAttempts == 0)
        // Each request after the first met a connection the server then dropped, and was sent once more.
        #expect(stats.byMode["stale-dropped"] == 5, "\(stats.byMode)")
        #expect(stats.byMode["stale"] == 11, "\(stats.byMode)")
    }

    @Test("a cancelled request ends with CancellationError instead of waiting for its answer", arguments: ["while it waits", "before it is sent"])
    func cancelledRequestEndsAtOnce(when: String) async throws {
        let server = try FaultServer()
        defer { server.stop() }
        // The server answers after 30 s; the endpoint check (GET /models) answers at once.
        let provider = ProviderTests.provider(server, "delay-30", timeout: 60)
        let early = when == "before it is sent"
        let task = Task {
            while early, !Task.isCancelled { await Task.yield() }
            return try await provider.generate(ProviderTests.request())
        }
        if !early { try await Task.sleep(for: .milliseconds(500)) }
        task.cancel()
        // Not timed: other tests may hold the task pool's threads for a while. A request that
        // was not cancelled gets its answer (after 30 s, well within its 60 s timeout).
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
    }
}
