import Foundation

extension ChatCompletion.Request {
    /// The body's bytes: the same bytes `JSONEncoder` with sorted keys writes (a test holds
    /// the two equal), written directly. The encoder's generic walk cost more per request than
    /// the rest of sending it; the same request must stay the same bytes on the wire and in a
    /// batch file, so the order and escapes are the encoder's.
    func json() -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(256 + messages.reduce(0) { $0 + $1.content.utf8.count })
        var first = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
        }
        // Keys in sorted order, as the encoder's `.sortedKeys` writes them; nil values are left out.
        if let logprobs {
            key("logprobs")
            out.append(contentsOf: (logprobs ? "true" : "false").utf8)
        }
        key("max_tokens")
        out.append(contentsOf: String(max_tokens).utf8)
        key("messages")
        JSONBytes.array(messages, into: &out) { message, out in
            out.append(contentsOf: "{\"content\":".utf8)
            JSONBytes.string(message.content, into: &out)
            out.append(contentsOf: ",\"role\":".utf8)
            JSONBytes.string(message.role.rawValue, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        key("model")
        JSONBytes.string(model, into: &out)
        if let n {
            key("n")
            out.append(contentsOf: String(n).utf8)
        }
        if let seed {
            key("seed")
            out.append(contentsOf: String(seed).utf8)
        }
        if let stop {
            key("stop")
            JSONBytes.array(stop, into: &out) { text, out in JSONBytes.string(text, into: &out) }
        }
        key("temperature")
        JSONBytes.number(temperature, into: &out)
        if let top_logprobs {
            key("top_logprobs")
            out.append(contentsOf: String(top_logprobs).utf8)
        }
        if let top_p {
            key("top_p")
            JSONBytes.number(top_p, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }
}
