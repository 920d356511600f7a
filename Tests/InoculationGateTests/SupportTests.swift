import Foundation
import Testing
@testable import InoculationGate

@Suite("Hashing and seeded randomness")
struct SupportTests {
    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)).count == 64)
        // FIPS 180-2's long message, and every length across the padding boundaries against the plain implementation.
        #expect(SHA256.hex(String(repeating: "a", count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var random = SeededRandom(seed: 256)
        for length in 0...200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(SHA256.digest(bytes) == ReferenceSHA256.digest(bytes), "length \(length)")
            // A collection without contiguous storage takes the copying path.
            #expect(SHA256.digest(bytes.lazy.map { $0 }) == ReferenceSHA256.digest(bytes), "length \(length), lazy")
        }
    }

    @Test("stable hashes separate their parts")
    func canonical() {
        #expect(StableHash.hex(["ab", "c"]) != StableHash.hex(["a", "bc"]))
        #expect(StableHash.uint64(["x"]) == StableHash.uint64(["x"]))
    }

    @Test("parts written one by one hash as their canonical join: escapes, separators, empty parts")
    func partsHashAsTheirJoin() {
        var random = SeededRandom(seed: 1_961)
        let pieces = ["", "a", "\\", "\u{1f}", "\u{1e}", "\\u", "é漢🙂", "x\u{0}y", "response-v1"]
        for round in 0..<500 {
            let parts = (0..<Int.random(in: 0...7, using: &random)).map { _ in
                (0..<Int.random(in: 0...3, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            }
            var written = StableHash.Parts()
            for part in parts { written.append(part) }
            // The join as first defined: escape backslashes, then unit separators, then join.
            let reference = parts.map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\u{1f}", with: "\\u") }
                .joined(separator: "\u{1f}")
            #expect(written.bytes == Array(reference.utf8), "round \(round): \(parts)")
            #expect(StableHash.canonical(parts) == reference, "round \(round)")
            #expect(written.hex == SHA256.hex(reference), "round \(round)")
        }
        #expect(StableHash.canonical(["a\\b", "c\u{1f}d", ""]) == "a\\\\b\u{1f}c\\ud\u{1f}")
    }

    @Test("cache keys are the hash of the documented parts (caches written before stay valid)")
    func cacheKeysKeepTheirParts() throws {
        let suite = try Fixture().load(Fixture.suite)
        let provider = OpenAIProvider(
            configuration: OpenAIProvider.Configuration(baseURL: "http://127.0.0.1:9/v1", model: "m\\odel\u{1f}"), environment: TestEnvironment.base)
        var random = SeededRandom(seed: 4_242)
        let texts = ["", "plain", "back\\slash", "unit\u{1f}sep", "record\u{1e}sep", "漢字 🙂", "line\nbreak"]
        for (index, var request) in RunPlan(suite).requests.prefix(60).enumerated() {
            request.messages = request.messages.map { ChatMessage(role: $0.role, content: $0.content + texts.randomElement(using: &random)!) }
            if index % 3 == 1 { request.topP = 0.25 }
            if index % 4 == 2 { request.stop = ["\u{1f}", texts.randomElement(using: &random)!] }
            request.temperature = [0, 0.7, 1, 1e-7][index % 4]
            let messages = request.messages.map { "\($0.role.rawValue)\u{1e}\($0.content)" }
            let documented = StableHash.hex(
                ["response-v1", provider.identity, String(request.temperature), String(request.maxTokens), String(request.sampleIndex), request.itemID]
                    + messages + GenerationRequest.hashParts(topP: request.topP, stop: request.stop))
            #expect(AnswerCollector.cacheKey(request, provider: provider) == documented, "request \(index)")
        }
    }

    @Test("seeded generator: same seed, same sequence; draws in range")
    func seeded() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        // SplitMix64's published first output for seed 0.
        var zero = SeededRandom(seed: 0)
        #expect(zero.next() == 0xe220a8397b1dcdaf)
        var c = SeededRandom(seed: 1)
        for _ in 0..<1000 {
            let u = c.unit()
            #expect(u >= 0 && u < 1)
            #expect((0..<7).contains(c.index(below: 7)))
        }
    }

    @Test("random-string conditions have the matched length and depend only on the seed", arguments: [0, 1, 17, 120])
    func randomText(length: Int) {
        let text = RandomText.make(length: length, seed: 7)
        #expect(text.count == length)
        #expect(text == RandomText.make(length: length, seed: 7))
        if length > 10 { #expect(text != RandomText.make(length: length, seed: 8)) }
        #expect(!text.hasPrefix(" ") && !text.contains("  "))
    }
}

@Suite("Hash parts")
struct HashPartsTests {
    @Test("stop sequences hash apart however they split")
    func stopSequences() {
        let joined = GenerationRequest.hashParts(topP: nil, stop: ["a\u{1f}b"])
        let split = GenerationRequest.hashParts(topP: nil, stop: ["a", "b"])
        #expect(StableHash.hex(joined) != StableHash.hex(split))
        #expect(GenerationRequest.hashParts(topP: nil, stop: []).isEmpty)
    }
}

/// The first, plainly written SHA-256 of this project, kept as the reference the fast one must equal.
enum ReferenceSHA256 {
    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func digest<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var h: [UInt32] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
        ]
        var message = Array(bytes)
        let bitLength = UInt64(message.count) &* 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: message.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(message[j]) << 24 | UInt32(message[j + 1]) << 16
                    | UInt32(message[j + 2]) << 8 | UInt32(message[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
            for i in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let choice = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ choice &+ k[i] &+ w[i]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ majority
                hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d
            h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
        return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * $0)) } }
    }

    static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}

@Suite("Run ids")
struct RunIDTests {
    @Test(
        "a run id is its start in UTC to the second, as a POSIX formatter writes it, and a hexadecimal suffix",
        arguments: [0, 951_868_799.999, 1_796_499_338.5, -1.5, 4_102_444_800, 253_402_300_799])
    func utcSeconds(_ since1970: Double) throws {
        let date = Date(timeIntervalSince1970: since1970)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let id = SuiteRunner.newRunID(date)
        let parts = id.split(separator: "-", maxSplits: 1)
        #expect(parts.count == 2 && parts[0] == formatter.string(from: date), "\(id) for \(since1970)")
        #expect(parts.count == 2 && UInt32(parts[1], radix: 16) != nil, "\(id)")
    }
}
