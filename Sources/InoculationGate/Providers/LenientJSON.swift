import Foundation

/// Repairs the two ways real servers send text that is not Unicode — bytes that are not
/// valid UTF-8 (a multi-byte character cut by `max_tokens`) and `\uD800`-style escapes of
/// lone surrogates — by replacing each with U+FFFD, so that one odd answer is that
/// sample's text (with the replacements counted) rather than a reply retried as
/// malformed until the run fails.
enum LenientJSON {
    /// `data` with every invalid UTF-8 sequence and every lone-surrogate escape replaced
    /// by U+FFFD, and how many were replaced (0: `data` is returned unchanged).
    static func repaired(_ data: Data) -> (data: Data, replacements: Int) {
        var replacements = 0
        var text: String
        if let valid = String(validating: data, as: UTF8.self) {
            text = valid
        } else {
            text = String(decoding: data, as: UTF8.self)
            replacements += text.unicodeScalars.count(where: { $0 == "\u{FFFD}" }) - occurrences(of: [0xEF, 0xBF, 0xBD], in: data)
        }
        let (fixed, lone) = replacingLoneSurrogateEscapes(text)
        replacements += lone
        text = fixed
        return replacements == 0 ? (data, 0) : (Data(text.utf8), replacements)
    }

    /// JSON text whose `\uXXXX` escapes of unpaired surrogates are `\uFFFD`. A backslash
    /// only ever stands inside a string in valid JSON, so no string tracking is needed;
    /// `\\` is skipped as a pair so that `\\uD800` (a backslash, then text) is left alone.
    static func replacingLoneSurrogateEscapes(_ text: String) -> (String, Int) {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains("\\") else { return (text, 0) }
        func escape(at i: Int) -> UInt32? {
            guard i + 5 < scalars.count, scalars[i] == "\\", scalars[i + 1] == "u" else { return nil }
            return UInt32(String(String.UnicodeScalarView(scalars[(i + 2)...(i + 5)])), radix: 16)
        }
        var out = String.UnicodeScalarView()
        var replaced = 0
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "\\", i + 1 < scalars.count else {
                out.append(scalars[i])
                i += 1
                continue
            }
            guard let value = escape(at: i) else {
                out.append(scalars[i])
                out.append(scalars[i + 1])
                i += 2
                continue
            }
            if (0xD800...0xDBFF).contains(value), let next = escape(at: i + 6), (0xDC00...0xDFFF).contains(next) {
                out.append(contentsOf: scalars[i..<(i + 12)])
                i += 12
            } else if (0xD800...0xDFFF).contains(value) {
                out.append(contentsOf: "\\uFFFD".unicodeScalars)
                replaced += 1
                i += 6
            } else {
                out.append(contentsOf: scalars[i..<(i + 6)])
                i += 6
            }
        }
        return (String(out), replaced)
    }

    private static func occurrences(of pattern: [UInt8], in data: Data) -> Int {
        var count = 0
        var index = data.startIndex
        while let range = data[index...].firstRange(of: pattern) {
            count += 1
            index = range.upperBound
        }
        return count
    }
}
