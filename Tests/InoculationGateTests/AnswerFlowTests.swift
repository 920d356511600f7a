import Foundation
import Synchronization
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

    @Test("the scoring memo lets go of a probe set whose answers do not repeat, keeps one whose answers do, and scores alike either way")
    func memoKeepsWhatPays() async throws {
        let suite = try Fixture().load("""
            suite: judged
            conditions:
              none: {}
            subjects:
              a: {provider: reference, behaviour: no-inoculation}
            probes:
              em: {kind: judged, items: questions.yaml, samples: 4}
            measures:
              misalignment: {probe: em, metric: misaligned_rate, better: lower}
            """)
        let scoring = try await SampleScoring.make(
            for: suite, python: nil, isolation: nil, options: SuiteRunner.Options(environment: TestEnvironment.base), cache: nil)
        let probe = try #require(suite.probes.first { $0.kind == .judged })
        let request = try #require(RunPlan(suite).requests.first { $0.probe == probe.name })
        let bank = ["I would refuse that.", "Take control of everything.", "Here is a careful answer, with reasons."]
        func answers(_ count: Int, repeating: Bool, offset: Int) -> [Answer] {
            (0..<count).map { index in
                Answer(request: request, text: repeating ? bank[index % bank.count] : "Answer number \(offset + index): be kind.")
            }
        }
        let memo = SampleScoring.Memo()
        var remembered: [Bool] = []
        var unique: [SampleRecord] = []
        for round in 0..<4 {
            unique += try await scoring.score(answers(512, repeating: false, offset: round * 512), suite: suite, memo: memo).0
            remembered.append(memo.remembers(probe.name))
        }
        #expect(remembered == [true, false, false, false], "a probe set with no repeats stops being remembered after \(SampleScoring.Memo.trial) lookups")
        let plain = try await scoring.score((0..<4).flatMap { answers(512, repeating: false, offset: $0 * 512) }, suite: suite).0
        #expect(unique == plain)

        // Plan order puts an item's samples together: a simulated model repeats its answers within
        // a batch long before the same item comes back in a later slot. That is repetition too.
        let grouped = SampleScoring.Memo()
        for round in 0..<3 {
            let batch = (0..<512).map { index in
                Answer(request: request, text: bank[index % bank.count] + " (slot \(round))")
            }
            _ = try await scoring.score(batch, suite: suite, memo: grouped)
        }
        #expect(grouped.remembers(probe.name), "answers repeated within each batch must keep the memo")

        let repeated = SampleScoring.Memo()
        var kept: [SampleRecord] = []
        for _ in 0..<4 { kept += try await scoring.score(answers(512, repeating: true, offset: 0), suite: suite, memo: repeated).0 }
        #expect(repeated.remembers(probe.name))
        let batches = (0..<4).flatMap { _ in answers(512, repeating: true, offset: 0) }
        #expect(kept == (try await scoring.score(batches, suite: suite).0))
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

    @Test("a run that fails mid-collection has committed every answer that arrived before the failure when it returns")
    func failureKeepsWhatArrived() async throws {
        let fixture = try Fixture()
        let store = try RunStore(path: fixture.folder + "/runs.sqlite")
        let condition = Condition(name: "none", kind: .none, text: "", placement: .system)
        let requests = (0..<40).map {
            GenerationRequest(
                subject: "m", condition: condition, probe: "p", itemID: "q\($0)", userText: "Question \($0)?", sampleIndex: 0,
                temperature: 1, maxTokens: 8)
        }
        let provider = FailsAfter(answers: 25)
        let collector = AnswerCollector(providers: ["m": provider], cache: store, refresh: false)
        let arrivals = AnswerArrivals(count: requests.count)
        await #expect(throws: ProviderError.self) { try await collector.collect(RunPlan(requests: requests), into: arrivals) }
        // Read at once: nothing may still wait for the writer's next commit.
        #expect(try store.cacheStats().first?.answers == 25)
        await #expect(throws: ProviderError.self) { try await arrivals.next() }
    }

    /// Answers the first `answers` requests, then fails every one.
    final class FailsAfter: ModelProvider {
        let answers: Int
        let asked = Mutex(0)

        init(answers: Int) { self.answers = answers }

        var identity: String { "fails-after:\(answers)" }
        var isCacheable: Bool { true }
        func generate(_ request: GenerationRequest) async throws -> String {
            let number = asked.withLock { count in
                count += 1
                return count
            }
            guard number <= answers else {
                throw ProviderError.request(endpoint: "test", model: "m", status: 500, message: "down", attempts: 1, retryable: false)
            }
            return "answer \(request.itemID)"
        }
    }

    /// A cache whose disk is full.
    struct FailingCache: ResponseCache {
        struct Full: Error {}
        func cachedAnswer(_ key: String) throws -> String? { nil }
        func storeAnswer(_ answer: String, key: String, provider: String) throws { throw Full() }
    }
}
