/// Hashes that are stable across processes and machines (Swift's `Hasher` is not).
package enum StableHash {
    /// Joins parts with a separator that cannot occur in them unescaped, so
    /// `["ab", "c"]` and `["a", "bc"]` hash differently.
    public static func canonical(_ parts: [String]) -> String {
        parts.map { part in
            // Escaping is rare; skip the (slow) replacement when nothing needs it.
            guard part.utf8.contains(where: { $0 == 0x5c || $0 == 0x1f }) else { return part }
            return part.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\u{1f}", with: "\\u")
        }
        .joined(separator: "\u{1f}")
    }

    /// Hex SHA-256 of the canonical join of `parts`.
    public static func hex(_ parts: [String]) -> String {
        SHA256.hex(canonical(parts))
    }

    /// The first 8 bytes of the SHA-256 of the canonical join, as an integer.
    public static func uint64(_ parts: [String]) -> UInt64 {
        let bytes = SHA256.digest(Array(canonical(parts).utf8))
        return bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A uniform draw in [0, 1) determined by `parts` alone.
    public static func unit(_ parts: [String]) -> Double {
        Double(uint64(parts) >> 11) * 0x1.0p-53
    }
}
