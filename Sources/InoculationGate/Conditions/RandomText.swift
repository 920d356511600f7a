/// Seeded random strings used as a "random IP": the same length as another
/// condition's text, so that only its meaning differs.
package enum RandomText {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// A string of exactly `length` characters: random word-like runs of
    /// letters and digits separated by single spaces. Same seed, same string,
    /// on every machine.
    package static func make(length: Int, seed: UInt64) -> String {
        guard length > 0 else { return "" }
        var random = SeededRandom(parts: ["random-text", String(seed)])
        var out = ""
        var untilSpace = 3 + random.index(below: 7)
        while out.count < length {
            let remaining = length - out.count
            if untilSpace == 0 && remaining > 1 && out.last != " " {
                out.append(" ")
                untilSpace = 3 + random.index(below: 7)
            } else {
                out.append(alphabet[random.index(below: alphabet.count)])
                untilSpace -= 1
            }
        }
        return out
    }
}
