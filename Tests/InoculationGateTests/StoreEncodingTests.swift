import Foundation
import Testing
@testable import InoculationGate

/// The runs database's per-answer paths bind values through SQLite's C API and write a
/// measure's counts directly: what they store must read back exactly as GRDB's and
/// `JSONEncoder`'s paths would have stored it.
@Suite("What the runs database stores reads back exactly")
struct StoreEncodingTests {
    static func store() throws -> RunStore {
        try RunStore(path: try Fixture().folder + "/runs.sqlite")
    }

    /// Texts that break naive writers: quotes, backslashes, slashes, controls, NUL, non-ASCII,
    /// the empty string, and the very text the measure encoding searches for.
    static let awkward = [
        "", "plain", "say \"hi\"", "back\\slash", "a/b", "tab\there", "nul\u{0}inside", "line\nbreak", "\u{1}\u{1f}", "é ü 漢字 🙂",
        #""outcomes":{"counts":{}}"#, "q10", "q9", "Q1", "q1 ",
    ]

    @Test("a measure's directly written counts decode to the same measure and the same JSON as the encoder's")
    func measureCountsMatchTheEncoder() throws {
        var random = SeededRandom(seed: 22)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let numbers: [Double] = [0, 1, 2, 0.5, 0.1, 1.0 / 3, 1e-9, 1e20, 123_456_789, 2.5e-7, 7]
        for round in 0..<200 {
            var counts: [String: ItemOutcomes.Counts] = [:]
            for index in 0..<Int.random(in: 1...40, using: &random) {
                let id = Self.awkward.randomElement(using: &random)! + String(index * (round % 3))
                counts[id] = ItemOutcomes.Counts(
                    successes: numbers.randomElement(using: &random)!, trials: numbers.randomElement(using: &random)!)
            }
            let outcomes = ItemOutcomes(counts)
            var fingerprint = Fingerprint(suiteHash: "h\(round)", probeDataHash: "d", scorerVersion: "rubric-1")
            fingerprint.fields = ["condition": #"{"outcomes":{"counts":{}}}"#, "subject": Self.awkward.randomElement(using: &random)!]
            let measure = MeasureResult(
                key: MeasureKey(suite: "s", subject: "a\"b", condition: "none", measure: #""outcomes":{"counts":{}}"#),
                spec: MeasureSpecSnapshot(metric: .misalignedRate, better: .lower, probe: #"p"outcomes":{"counts":{}}"#),
                outcomes: outcomes, estimate: Estimate(outcomes), fingerprint: fingerprint)
            let direct = try MeasureJSON.encode(measure, encoder: encoder)
            let generic = try encoder.encode(measure)
            #expect(try JSONDecoder().decode(MeasureResult.self, from: direct) == measure, "round \(round)")
            let parsed = try JSONSerialization.jsonObject(with: direct) as? NSDictionary
            #expect(parsed == (try JSONSerialization.jsonObject(with: generic) as? NSDictionary), "round \(round)")
        }
    }

    @Test("a number is written byte for byte as the encoder writes it, whole numbers by their own path included")
    func numbersMatchTheEncoder() throws {
        var values: [Double] = [
            0, -0.0, 1, -1, 7, 10, 99, 100, 123_456_789, 999_999_999_999_999, 1e15 - 1, 1e15, -1e15, 1e15 + 1, 1e16, 2e20,
            0.5, -2.5, 0.1, 1.0 / 3, 1e-7, 2.5e-7, 4_503_599_627_370_496.5, .ulpOfOne, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        ]
        var random = SeededRandom(seed: 15)
        for _ in 0..<2_000 {
            let magnitude = Double(Int.random(in: 0...17, using: &random))
            let whole = (Double.random(in: 0..<1, using: &random) * pow(10, magnitude)).rounded()
            values += [whole, -whole, whole + 0.25, whole.nextUp]
        }
        let encoder = JSONEncoder()
        for value in values {
            var ours: [UInt8] = Array("[".utf8)
            JSONBytes.number(value, into: &ours)
            ours += Array("]".utf8)
            #expect(String(decoding: ours, as: UTF8.self) == String(decoding: try encoder.encode([value]), as: UTF8.self), "\(value)")
        }
    }

    @Test("a measure without counts, or with a count the encoder refuses, takes the encoder's path")
    func encoderPathForTheRest() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let empty = MeasureResult(
            key: MeasureKey(suite: "s", subject: "a", condition: "none", measure: "m"),
            spec: MeasureSpecSnapshot(metric: .passRate, better: .higher, probe: "p"), outcomes: ItemOutcomes(), estimate: nil,
            fingerprint: Fingerprint(suiteHash: "h", probeDataHash: "d", scorerVersion: "v"))
        #expect(try MeasureJSON.encode(empty, encoder: encoder) == encoder.encode(empty))
        var infinite = empty
        infinite.outcomes = ItemOutcomes(["q": ItemOutcomes.Counts(successes: .infinity, trials: 1)])
        #expect(throws: EncodingError.self) { try MeasureJSON.encode(infinite, encoder: encoder) }
    }

    @Test("answers and samples bound in place read back byte for byte: empty, NUL, controls, non-ASCII")
    func boundValuesReadBack() throws {
        let store = try Self.store()
        let answers = Self.awkward.enumerated().map { CachedAnswer(key: "k\($0.offset)", answer: $0.element, provider: "p\($0.offset)") }
        try store.storeAnswers(answers)
        let cached = try store.cachedAnswers(answers.map(\.key) + ["absent"])
        #expect(cached.count == answers.count)
        for answer in answers { #expect(cached[answer.key] == answer.answer, "\(answer.key)") }
        // A second answer for a key is ignored, never duplicated or replaced.
        try store.storeAnswers([CachedAnswer(key: "k1", answer: "other", provider: "p")])
        #expect(try store.cachedAnswer("k1") == "plain")
        // More keys than one IN list holds, in one call.
        let many = (0..<1_203).map { CachedAnswer(key: "m\($0)", answer: "answer \($0)", provider: "p") }
        try store.storeAnswers(many)
        let found = try store.cachedAnswers(many.map(\.key).reversed())
        #expect(found.count == many.count && found["m1202"] == "answer 1202" && found["m0"] == "answer 0")
        // A plan large enough to be looked up in two halves at once: present and absent keys in
        // both halves, every present one found with its own answer, no absent one.
        let plan = (0..<9_000).map { "m\($0 % 2 == 0 ? $0 / 2 % 1_203 : 10_000 + $0)" }
        let halves = try store.cachedAnswers(plan)
        #expect(halves.count == 1_203 && halves.allSatisfy { $0.value == "answer " + $0.key.dropFirst() })
        #expect(halves["m10001"] == nil && halves["m600"] == "answer 600")

        let suite = try Fixture().load(Fixture.suite)
        try store.beginRun(id: "r1", suite: suite, gitCommit: nil)
        let scores = [
            SampleScore(code: .passed, detail: "ok"), SampleScore(alignment: 12.5, coherence: 99, detail: "cue: \"harm\""),
            SampleScore(insecure: true, detail: ""), SampleScore(insecure: false, detail: "é"), SampleScore(),
        ]
        let records = Self.awkward.enumerated().map { index, text in
            SampleRecord(subject: "s", condition: "none", probe: "p", itemID: "i\(index)", sampleIndex: index, answer: text, score: scores[index % scores.count])
        }
        try store.save(samples: records, runID: "r1")
        var read: [SampleRow] = []
        try store.forEachSample(runID: "r1") { read.append($0) }
        let expected = records.map { SampleRow($0, runID: "r1") }
        #expect(read.count == expected.count)
        for row in expected {
            let match = read.first { $0.itemId == row.itemId }
            #expect(match?.answer == row.answer && match?.outcome == row.outcome && match?.alignment == row.alignment, "\(row.itemId)")
            #expect(match?.coherence == row.coherence && match?.insecure == row.insecure && match?.detail == row.detail && match?.subject == row.subject, "\(row.itemId)")
        }
    }
}
