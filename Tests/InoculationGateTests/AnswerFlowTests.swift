import Foundation
import Testing
@testable import InoculationGate

@Suite("Answers on their way to scoring and storage")
struct AnswerFlowTests {
    @Test("arrivals are released in plan order, in batches of at least 512 until the last, whatever order they come in")
    func arrivalsInPlanOrder() async throws {
        let count = 1_300
        let arrivals = AnswerArrivals(count: count)
        var order = Array(0..<count)
        var random = SeededRandom(seed: 7)
        order.shuffle(using: &random)
        let consumer = Task {
            var released: [[Int]] = []
            while let batch = try await arrivals.next() { released.append(batch.map(\.index)) }
            return released
        }
        for start in stride(from: 0, to: count, by: 100) {
            arrivals.arrived(order[start..<min(count, start + 100)].map { ($0, "answer \($0)") })
            await Task.yield()
        }
        arrivals.finish()
        let released = try await consumer.value
        #expect(released.flatMap { $0 } == Array(0..<count))
        #expect(released.dropLast().allSatisfy { $0.count >= AnswerArrivals.batch }, "\(released.map(\.count))")
    }

    @Test("answers that never arrived are left out at the end; a collector's failure reaches the consumer")
    func gapsAndFailure() async throws {
        let arrivals = AnswerArrivals(count: 5)
        arrivals.arrived([(0, "a"), (2, "c"), (4, "e")])
        arrivals.finish()
        #expect(try await arrivals.next()?.map(\.text) == ["a", "c", "e"])
        #expect(try await arrivals.next() == nil)

        struct Broken: Error {}
        let failing = AnswerArrivals(count: 600)
        let consumer = Task { try await failing.next() }
        failing.arrived([(0, "a")])
        failing.fail(Broken())
        await #expect(throws: Broken.self) { try await consumer.value }
    }

    @Test("the writer commits what queued in one transaction, loses nothing it was given, and a failed commit stops the run")
    func writerCommitsAndFails() async throws {
        let fixture = try Fixture()
        let store = try RunStore(path: fixture.folder + "/runs.sqlite")
        let writer = AnswerWriter(cache: store)
        for index in 0..<1_000 {
            try writer.store([CachedAnswer(key: "k\(index)", answer: "answer \(index)", provider: "p")])
        }
        try await writer.flush()
        #expect(try store.cacheStats().first?.answers == 1_000)
        #expect(try store.cachedAnswer("k999") == "answer 999")

        let failing = AnswerWriter(cache: FailingCache())
        try failing.store([CachedAnswer(key: "k", answer: "a", provider: "p")])
        await #expect(throws: FailingCache.Full.self) { try await failing.flush() }
        #expect(throws: FailingCache.Full.self) { try failing.store([CachedAnswer(key: "k2", answer: "b", provider: "p")]) }
    }

    /// A cache whose disk is full.
    struct FailingCache: ResponseCache {
        struct Full: Error {}
        func cachedAnswer(_ key: String) throws -> String? { nil }
        func storeAnswer(_ answer: String, key: String, provider: String) throws { throw Full() }
    }
}
