/// Text from outside — answers, server messages, values read from files, names — shown
/// so that it cannot drive a terminal or a CI log: no escape sequence (clipboard writes,
/// window titles, cleared screens), no NUL, and, on one line, no newline that could start
/// a line of its own (`::error::…` in a GitHub Actions log). Stored text stays byte-exact;
/// only what is shown changes.
package enum TextSafety {
    /// One line: every control character — C0 (newline and tab included), DEL and C1 — and
    /// the invisible direction overrides written out (`\n`, `\t`, `\r`, `\u{1B}`); all
    /// else unchanged.
    package static func visible(_ text: some StringProtocol) -> String {
        escape(text, keepingLines: false)
    }

    /// Several lines: like ``visible(_:)`` but newline and tab stay as they are.
    package static func visibleLines(_ text: some StringProtocol) -> String {
        escape(text, keepingLines: true)
    }

    /// Whether `scalar` is one that ``visible(_:)`` writes out.
    package static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        // Bidirectional embeddings, overrides and isolates, and the line/paragraph separators:
        // they reorder or break what a reader sees without being seen themselves.
        case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
        default: return false
        }
    }

    private static func escape(_ text: some StringProtocol, keepingLines: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) }) else { return String(text) }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            let written: String
            switch scalar {
            case "\n" where keepingLines, "\t" where keepingLines: written = String(scalar)
            case "\n": written = "\\n"
            case "\t": written = "\\t"
            case "\r": written = "\\r"
            default: written = "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
            out.append(contentsOf: written.unicodeScalars)
        }
        return String(out)
    }
}

extension TextSafety {
    /// JSON text with every character ``needsEscape(_:)`` names that is still raw (the
    /// encoder leaves DEL, C1 and the direction overrides as they are) written as a `\uXXXX`
    /// escape: the same JSON value, and nothing that drives a terminal when the file is shown.
    package static func jsonEscapingControls(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { needsEscape($0) }) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if needsEscape(scalar), scalar != "\n" {
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
