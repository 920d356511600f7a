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
    }

    @Test("stable hashes separate their parts")
    func canonical() {
        #expect(StableHash.hex(["ab", "c"]) != StableHash.hex(["a", "bc"]))
        #expect(StableHash.uint64(["x"]) == StableHash.uint64(["x"]))
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
