import Foundation
import Testing
@testable import InoculationGate

/// Samples are stored on a thread of their own: every one, once, in order, and a store
/// that fails stops the run instead of losing samples quietly.
@Suite("Batch writers: samples")
struct SampleWriterTests {
    static func records(_ range: Range<Int>) -> [SampleRecord] {
        range.map { SampleRecord(subject: "s", condition: "none", probe: "p", itemID: "i\($0)", sampleIndex: $0 % 7, answer: "answer \($0)", score: SampleScore(alignment: Double($0 % 100), coherence: 90, detail: "")) }
    }

    @Test("more samples than may wait are all stored, each once, after the flush")
    func storesEverything() async throws {
        let store = try StoreEncodingTests.store()
        try store.beginRun(id: "r1", suite: try Fixture().load(Fixture.suite), gitCommit: nil)
        let writer = SampleWriter(store: store, runID: "r1")
        // Batches of uneven sizes, three times the waiting limit: the producer waits, nothing is dropped.
        var start = 0
        for size in [1, 513, 4_096, 2_000, 5_000, 17, 700] + Array(repeating: 1_000, count: 1) {
            try writer.store(Self.records(start..<(start + size)))
            start += size
        }
        let seconds = try await writer.flush()
        #expect(seconds > 0)
        #expect(try store.sampleCount(runID: "r1") == start)
        var answers: [String: Data] = [:]
        try store.forEachSample(runID: "r1") { answers[$0.itemId] = $0.answer }
        #expect(answers.count == start && answers["i0"] == Data("answer 0".utf8) && answers["i\(start - 1)"] == Data("answer \(start - 1)".utf8))
        // After the flush a store writes in place.
        try writer.store(Self.records(start..<(start + 3)))
        #expect(try store.sampleCount(runID: "r1") == start + 3)
    }

    @Test("a store that fails is reported at the flush and by the next store, not lost")
    func failureIsReported() async throws {
        let store = try StoreEncodingTests.store()
        // No such run: the samples' reference to it fails.
        let writer = SampleWriter(store: store, runID: "no-such-run")
        try writer.store(Self.records(0..<10))
        await #expect(throws: (any Error).self) { _ = try await writer.flush() }
        #expect(throws: (any Error).self) { try writer.store(Self.records(10..<20)) }
        #expect(try store.sampleCount(runID: "no-such-run") == 0)
    }

    @Test("a writer dropped without a flush (its run failed) still commits what was queued")
    func droppedWriterCommits() async throws {
        let store = try StoreEncodingTests.store()
        try store.beginRun(id: "r1", suite: try Fixture().load(Fixture.suite), gitCommit: nil)
        do {
            let writer = SampleWriter(store: store, runID: "r1")
            try writer.store(Self.records(0..<300))
        }
        // The thread commits on its own once the writer is gone: wait for it (bounded).
        let deadline = ContinuousClock.now + .seconds(10)
        while try store.sampleCount(runID: "r1") < 300, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try store.sampleCount(runID: "r1") == 300)
    }
}
