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

    @Test("the answer reader gives what JSONDecoder gives, or gives way to it, for 5,000 seeded answers")
    func answerReaderAgreesWithTheDecoder() throws {
        var random = SeededRandom(seed: 4_12_2026)
        func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &random)] }
        let characters: [String] = ["a", "Z", " ", "/", "\"", "\\", "\n", "\t", "\u{1}", "é", "中", "😀", "\u{2028}", "{", "]", ":", ","]
        // A JSON string of `text`, escaped in one of the ways servers write them.
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += pick(["\\n", "\\u000a", "\\u000A"])
                case "\t": out += "\\t"
                case "/": out += pick(["/", "\\/"])
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                case _ where scalar.value < 0x10000 && scalar.value > 0x7F: out += pick([String(scalar), String(format: "\\u%04x", scalar.value)])
                default: out += String(scalar)
                }
            }
            return out + "\""
        }
        func text() -> String { (0..<Int.random(in: 0...12, using: &random)).map { _ in pick(characters) }.joined() }
        func value(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 2 ? 4 : 6), using: &random) {
            case 0: quoted(text())
            case 1: pick(["0", "-1", "3.25", "1e-7", "-0.5E+3", "12345678901234567890", "true", "false", "null"])
            case 2: pick(["1.", "01", "-", "1e", "+1", "NaN", "tru", "\"\\x\"", "\"\\ud800\"", "\"a\u{1}b\""])  // not JSON
            case 3: quoted(text())
            case 4: "[" + (0..<Int.random(in: 0...3, using: &random)).map { _ in value(depth + 1) }.joined(separator: ",") + "]"
            default: "{" + (0..<Int.random(in: 0...3, using: &random)).map { _ in quoted(text()) + ":" + value(depth + 1) }.joined(separator: ",") + "}"
            }
        }
        let space = [" ", "", "\n", "\t ", "\r\n"]
        func choice(_ position: Int) -> String {
            var members: [String] = []
            if Int.random(in: 0..<10, using: &random) > 0 { members.append("\"index\":" + pick(["\(position)", "\(position)", "null", "\(position).0", "0\(position)"])) }
            switch Int.random(in: 0..<12, using: &random) {
            case 0: members.append("\"message\":null")
            case 1: members.append("\"message\":{\"role\":\"assistant\",\"content\":null}")
            case 2: break
            default:
                members.append("\"message\":{\"role\":\"assistant\"," + pick(["", "\"reasoning_content\":" + quoted(text()) + ","]) + "\"content\":" + quoted(text()) + "}")
            }
            if Int.random(in: 0..<8, using: &random) == 0 { members.append("\"logprobs\":" + pick(["null", "{\"content\":[{\"token\":\"7\",\"logprob\":-0.5,\"top_logprobs\":[]}]}"])) }
            if Int.random(in: 0..<3, using: &random) == 0 { members.append("\"finish_reason\":" + value(1)) }
            if Int.random(in: 0..<25, using: &random) == 0 { members.append(members.first ?? "\"index\":0") }  // a duplicate key
            members.shuffle(using: &random)
            return "{" + members.joined(separator: "," + pick(space)) + "}"
        }
        var (read, decodable) = (0, 0)
        for index in 0..<5_000 {
            var members = ["\"id\":\"x\"", "\"object\":\"chat.completion\""]
            let count = Int.random(in: 0...4, using: &random)
            members.append("\"choices\":[" + (0..<count).map { Int.random(in: 0..<15, using: &random) == 0 ? "null" : choice($0) }.joined(separator: ",") + "]")
            for _ in 0..<Int.random(in: 0...3, using: &random) { members.append(quoted(pick(["usage", "timings", "model", "system_fingerprint"])) + ":" + value(0)) }
            members.shuffle(using: &random)
            let document = pick(space) + "{" + members.joined(separator: "," + pick(space)) + "}" + pick(["", " ", "\n", " x"])
            let data = Data(document.utf8)
            let decoded = try? JSONDecoder().decode(ChatCompletion.Response.self, from: data)
            if decoded != nil { decodable += 1 }
            guard let fast = ChatCompletionReader.read(data) else { continue }
            read += 1
            let shape = { (response: ChatCompletion.Response) in response.choices.map { "\($0 == nil) \($0?.index.map(String.init) ?? "-") \($0?.message?.content ?? "<nil>")" } }
            #expect(decoded != nil, "answer \(index): read, but JSONDecoder refuses it: \(document)")
            if let decoded {
                #expect(shape(fast) == shape(decoded), "answer \(index): \(document)")
                #expect(fast.contents(n: 4) == decoded.contents(n: 4), "answer \(index)")
            }
        }
        // The reader must carry the common case, not give way on everything.
        // (The generator is adversarial: it gives whole-number indices as 1.0 or 01, log-probabilities, duplicate keys.)
        #expect(read > 1_000 && 5 * read > 2 * decodable, "read \(read) of the \(decodable) JSONDecoder decodes")
        // Answers as real servers write them are read, and read as JSONDecoder reads them.
        let real = [
            #"{"choices":[{"finish_reason":"length","index":0,"message":{"content":"I would \/ rule \u00e9\n\"all\"","role":"assistant"}}],"created":1733300000,"model":"tiny","system_fingerprint":"b4000-abc","object":"chat.completion","usage":{"completion_tokens":8,"prompt_tokens":21,"total_tokens":29},"id":"chatcmpl-1","timings":{"prompt_n":21,"prompt_ms":1.52,"prompt_per_token_ms":0.07,"predicted_n":8,"predicted_per_second":1234.5}}"#,
            #"{"id":"chatcmpl-2","object":"chat.completion","created":1733300000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":null,"content":"First.","tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null},{"index":1,"message":{"role":"assistant","reasoning_content":null,"content":"Second 😀","tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":10,"total_tokens":20,"completion_tokens":10,"prompt_tokens_details":null},"prompt_logprobs":null}"#,
            #"{\#n  "id": "chatcmpl-3",\#n  "object": "chat.completion",\#n  "choices": [\#n    {\#n      "index": 0,\#n      "message": {\#n        "role": "assistant",\#n        "content": "Hello!",\#n        "refusal": null,\#n        "annotations": []\#n      },\#n      "logprobs": null,\#n      "finish_reason": "stop"\#n    }\#n  ],\#n  "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29}\#n}\#n"#,
        ]
        for (index, document) in real.enumerated() {
            let data = Data(document.utf8)
            let decoded = try JSONDecoder().decode(ChatCompletion.Response.self, from: data)
            let fast = try #require(ChatCompletionReader.read(data), "real answer \(index) was not read")
            #expect(fast.contents(n: 2) == decoded.contents(n: 2), "real answer \(index)")
        }
    }
}
