/// A running fingerprint of streamed content (every record of a data file), cheap
/// per byte: two 64-bit FNV-1a lanes with different offsets, finished through
/// SHA-256. For telling a changed file from an unchanged one — not for security.
package struct ContentHasher {
    private var low: UInt64 = 0xcbf2_9ce4_8422_2325
    private var high: UInt64 = 0x6c62_272e_07bb_0142
    private var count: UInt64 = 0

    package init(_ seed: [String]) { add(seed) }

    /// Adds the parts, each followed by a separator, so `["ab", "c"]` and `["a", "bc"]` differ.
    package mutating func add(_ parts: [String]) {
        for part in parts {
            for byte in part.utf8 { mix(byte) }
            mix(0x1f)
        }
        mix(0x1e)
        count &+= 1
    }

    private mutating func mix(_ byte: UInt8) {
        low = (low ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        high = (high ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
    }

    package var hex: String { StableHash.hex(["content-v1", String(low), String(high), String(count)]) }
}
