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
        Self.array(messages, into: &out) { message, out in
            out.append(contentsOf: "{\"content\":".utf8)
            Self.string(message.content, into: &out)
            out.append(contentsOf: ",\"role\":".utf8)
            Self.string(message.role.rawValue, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        key("model")
        Self.string(model, into: &out)
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
            Self.array(stop, into: &out) { text, out in Self.string(text, into: &out) }
        }
        key("temperature")
        Self.number(temperature, into: &out)
        if let top_logprobs {
            key("top_logprobs")
            out.append(contentsOf: String(top_logprobs).utf8)
        }
        if let top_p {
            key("top_p")
            Self.number(top_p, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// A JSON array of `items`, each written by `element`.
    private static func array<Item>(_ items: [Item], into out: inout [UInt8], _ element: (Item, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            element(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A finite number as the encoder writes it: Swift's shortest form, without a trailing `.0`.
    private static func number(_ value: Double, into out: inout [UInt8]) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
    }

    /// A JSON string with the encoder's escapes: quote, backslash and slash, the short forms of
    /// the usual controls, `\u00XX` for the other controls; everything else as UTF-8.
    private static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "/"): out.append(contentsOf: "\\/".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
