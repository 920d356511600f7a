/// JSON written byte by byte where `JSONEncoder`'s generic walk costs more than the work
/// around it (request bodies, a measure's per-item counts): the encoder's number form and
/// escapes, so what is written reads back as the encoder's output would.
enum JSONBytes {
    /// A JSON array of `items`, each written by `element`.
    static func array<Item>(_ items: [Item], into out: inout [UInt8], _ element: (Item, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            element(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A finite number as the encoder writes it: Swift's shortest form, without a trailing `.0`.
    static func number(_ value: Double, into out: inout [UInt8]) {
        // Whole numbers (counts, nearly every number written) as integer digits: what the
        // shortest form gives below 10¹⁵, where it has no exponent; −0 keeps its sign.
        if value == value.rounded(.towardZero), abs(value) < 1e15, !(value == 0 && value.sign == .minus) {
            var digits = Int(value).magnitude
            if value < 0 { out.append(UInt8(ascii: "-")) }
            var reversed: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &reversed) { buffer in
                repeat {
                    buffer[count] = UInt8(ascii: "0") + UInt8(digits % 10)
                    digits /= 10
                    count += 1
                } while digits > 0
                for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
            }
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
    }

    /// A JSON string with the encoder's escapes: quote, backslash and slash, the short forms of
    /// the usual controls, `\u00XX` for the other controls; everything else as UTF-8.
    static func string(_ text: String, into out: inout [UInt8]) {
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
