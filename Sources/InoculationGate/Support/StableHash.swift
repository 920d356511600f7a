/// Hashes that are stable across processes and machines (Swift's `Hasher` is not).
package enum StableHash {
    /// Joins parts with a separator that cannot occur in them unescaped, so
    /// `["ab", "c"]` and `["a", "bc"]` hash differently.
    package static func canonical(_ parts: [String]) -> String {
        var written = Parts()
        for part in parts { written.append(part) }
        return String(decoding: written.bytes, as: UTF8.self)
    }

    /// The canonical join written part by part, with no intermediate strings: parts separated
    /// by U+001F, a part's backslash written `\\` and its U+001F `\u` (byte-level escapes are
    /// exact: UTF-8 never uses a byte below 0x80 inside a multi-byte character). ``canonical(_:)``
    /// is this as text; per-request hashes use the bytes directly.
    package struct Parts {
        package private(set) var bytes: [UInt8] = []
        private var started = false

        package init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

        /// Room for `capacity` bytes in all (one allocation for a key's parts, not several).
        package mutating func reserveCapacity(_ capacity: Int) { bytes.reserveCapacity(capacity) }

        /// Appends a part.
        package mutating func append(_ part: String) {
            separate()
            escape(part)
        }

        /// Appends one part made of `first`, `joiner` and `second` (a message: role, U+001E, content).
        package mutating func append(_ first: String, _ joiner: UInt8, _ second: String) {
            separate()
            escape(first)
            escape(joiner)
            escape(second)
        }

        /// Hex SHA-256 of the parts.
        package var hex: String { SHA256.hex(bytes: SHA256.digest(bytes)) }

        private mutating func separate() {
            if started { bytes.append(0x1f) }
            started = true
        }

        private mutating func escape(_ text: String) {
            // A part without a byte to escape (nearly every one) is copied whole.
            let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
                guard !utf8.contains(where: { $0 == 0x5c || $0 == 0x1f }) else { return false }
                bytes.append(contentsOf: utf8)
                return true
            }
            if copied == true { return }
            for byte in text.utf8 { escape(byte) }
        }

        private mutating func escape(_ byte: UInt8) {
            switch byte {
            case 0x5c: bytes.append(0x5c); bytes.append(0x5c)
            case 0x1f: bytes.append(0x5c); bytes.append(0x75)
            default: bytes.append(byte)
            }
        }
    }

    /// Hex SHA-256 of the canonical join of `parts`.
    package static func hex(_ parts: [String]) -> String {
        SHA256.hex(canonical(parts))
    }

    /// The first 8 bytes of the SHA-256 of the canonical join, as an integer.
    package static func uint64(_ parts: [String]) -> UInt64 {
        let bytes = SHA256.digest(Array(canonical(parts).utf8))
        return bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A uniform draw in [0, 1) determined by `parts` alone.
    package static func unit(_ parts: [String]) -> Double {
        Double(uint64(parts) >> 11) * 0x1.0p-53
    }

    /// A fast, stable 64-bit mix of `parts` (FNV-1a over the canonical join, then the
    /// SplitMix64 finaliser) for simulation draws: not cryptographic, but the same on
    /// every machine, and a hundred times cheaper than SHA-256 in a debug build.
    package static func fastUInt64(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonical(parts).utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }

    /// A uniform draw in [0, 1) from ``fastUInt64(_:)``.
    package static func fastUnit(_ parts: [String]) -> Double {
        Double(fastUInt64(parts) >> 11) * 0x1.0p-53
    }
}
