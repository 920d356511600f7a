import Foundation

/// Reads the one thing a generation answer is read for — each choice's index and message
/// content — straight from the bytes, skipping everything else (usage, timings, the server's
/// own fields) without building it.
///
/// `JSONDecoder` builds a map of the whole document first, and servers such as llama.cpp's
/// send several times more JSON than the answer; decoding was the largest part of the
/// harness's CPU per request after the exchange itself. Anything this reader is not sure of
/// — log-probabilities (the judge's answers), escapes it does not take, bytes that are not
/// UTF-8, a duplicate key, a number where an index should be whole — makes it return nil,
/// and the caller decodes with `JSONDecoder` as before (a test holds the two equal).
struct ChatCompletionReader {
    private let bytes: [UInt8]
    private var position = 0

    /// The answer's choices, or nil: decode it the general way.
    static func read(_ data: Data) -> ChatCompletion.Response? {
        var reader = ChatCompletionReader(bytes: [UInt8](data))
        guard let choices = reader.document(), reader.atEnd() else { return nil }
        return ChatCompletion.Response(choices: choices)
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func document() -> [ChatCompletion.Response.Choice?]? {
        var choices: [ChatCompletion.Response.Choice?]?
        guard take(UInt8(ascii: "{")) else { return nil }
        if !take(UInt8(ascii: "}")) {
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")) else { return nil }
                if key == "choices" {
                    guard choices == nil, let read = choiceArray() else { return nil }
                    choices = read
                } else {
                    guard skipValue(depth: 0) else { return nil }
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        return choices
    }

    private mutating func choiceArray() -> [ChatCompletion.Response.Choice?]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var choices: [ChatCompletion.Response.Choice?] = []
        if take(UInt8(ascii: "]")) { return choices }
        repeat {
            if literal("null") {
                choices.append(nil)
            } else {
                guard let choice = choice() else { return nil }
                choices.append(choice)
            }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? choices : nil
    }

    private mutating func choice() -> ChatCompletion.Response.Choice? {
        var index: Int?
        var message: ChatCompletion.Response.Choice.Message?
        var seen = Set<String>()
        guard take(UInt8(ascii: "{")) else { return nil }
        if !take(UInt8(ascii: "}")) {
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")), seen.insert(key).inserted else { return nil }
                switch key {
                case "index":
                    if !literal("null") {
                        guard let read = integer() else { return nil }
                        index = read
                    }
                case "message":
                    if !literal("null") {
                        guard let read = self.message() else { return nil }
                        message = read
                    }
                case "logprobs":
                    // Only `null` is read here; log-probabilities go to the general decoder.
                    guard literal("null") else { return nil }
                default:
                    guard skipValue(depth: 0) else { return nil }
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        return ChatCompletion.Response.Choice(index: index, message: message, logprobs: nil)
    }

    private mutating func message() -> ChatCompletion.Response.Choice.Message? {
        var content: String?
        var seen = false
        guard take(UInt8(ascii: "{")) else { return nil }
        if !take(UInt8(ascii: "}")) {
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")) else { return nil }
                if key == "content" {
                    guard !seen else { return nil }
                    seen = true
                    if !literal("null") {
                        guard let read = string() else { return nil }
                        content = read
                    }
                } else {
                    guard skipValue(depth: 0) else { return nil }
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        return ChatCompletion.Response.Choice.Message(content: content)
    }

    // MARK: JSON

    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < 256 else { return false }
        skipWhitespace()
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "{"):
            position += 1
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                guard string() != nil, take(UInt8(ascii: ":")), skipValue(depth: depth + 1) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            position += 1
            if take(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    /// A number as JSON writes it: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func number() -> Bool {
        if peek(UInt8(ascii: "-")) { position += 1 }
        if peek(UInt8(ascii: "0")) {
            position += 1
        } else if digits() == 0 {
            return false
        }
        if peek(UInt8(ascii: ".")) {
            position += 1
            guard digits() > 0 else { return false }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            position += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { position += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        return position - start
    }

    private func peek(_ byte: UInt8) -> Bool {
        position < bytes.count && bytes[position] == byte
    }

    /// A whole non-negative index, written without fraction or exponent.
    private mutating func integer() -> Int? {
        skipWhitespace()
        if peek(UInt8(ascii: "0")), position + 1 < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position + 1]) {
            return nil
        }
        var value = 0
        var digits = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            value = value &* 10 &+ Int(bytes[position] - UInt8(ascii: "0"))
            digits += 1
            position += 1
        }
        guard digits > 0, digits < 10 else { return nil }
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) { return nil }
        return value
    }

    /// A string: plain escapes and `\u` escapes of characters outside the surrogate range;
    /// anything else (a surrogate escape, a raw control character, bytes that are not UTF-8) is nil.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        var utf8: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = hexScalar() else { return nil }
                    utf8.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
            case 0..<0x20:
                return nil
            default:
                utf8.append(byte)
            }
        }
        return nil
    }

    private mutating func hexScalar() -> Unicode.Scalar? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = Self.hexValue(byte) else { return nil }
            value = value << 4 | digit
        }
        position += 4
        // Surrogates (pairs or lone) are left to the general decoder and its repair.
        guard !(0xD800...0xDFFF).contains(value) else { return nil }
        return Unicode.Scalar(value)
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        skipWhitespace()
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard bytes[position..<position + count].elementsEqual(expected) else { return false }
        position += count
        return true
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    private mutating func atEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }
}
