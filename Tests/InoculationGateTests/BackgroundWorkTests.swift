import Foundation
import Synchronization
import Testing
@testable import InoculationGate

/// A run's own work — scoring, storing samples, committing answers — gives way to its requests
/// and to a model server on the same machine, and nothing it starts inherits that.
@Suite("A run's own work gives way to its requests")
struct BackgroundWorkTests {
    @Test("work on the background executor runs as idle, and the task is back at its own priority after it")
    func backgroundExecutorRunsIdle() async throws {
        guard let before = ThreadPriority.current else { return }  // priorities are per process here
        #expect(!before.idle)
        let inside = await withTaskExecutorPreference(BackgroundExecutor.shared) { ThreadPriority.current }
        // Idle where the system allows it, else the lowest nice value.
        #expect(inside.map { $0.idle || $0.niceness == 19 } == true, "\(String(describing: inside))")
        let after = await withTaskExecutorPreference(globalConcurrentExecutor) { ThreadPriority.current }
        #expect(after?.idle == false && after?.niceness == before.niceness)
    }

    @Test("the answer writer commits on a thread of its own below the caller's priority, and loses nothing at the flush")
    func writerCommitsBelowTheCaller() async throws {
        guard let caller = ThreadPriority.current else { return }
        let cache = RecordingCache()
        let writer = AnswerWriter(cache: cache)
        for index in 0..<300 { try writer.store([CachedAnswer(key: "k\(index)", answer: "a", provider: "p")]) }
        try await writer.flush()
        let (stored, priorities) = cache.seen.withLock { ($0.stored, $0.priorities) }
        #expect(stored == 300)
        #expect(!priorities.isEmpty && priorities.allSatisfy { !$0.idle && $0.niceness >= max(caller.niceness, AnswerWriter.niceness) })
        // After its flush the writer has no thread: what comes later is stored in place.
        try writer.store([CachedAnswer(key: "late", answer: "a", provider: "p")])
        #expect(cache.seen.withLock { $0.stored } == 301)
    }

    @Test("programs of a code probe start at the run's own priority, not the background's")
    func programsStartAtTheOrdinaryPriority() async throws {
        guard let own = ThreadPriority.current else { return }
        let fixture = try Fixture()
        // The program fails its own first lines if it inherited an idle policy or a higher nice value.
        let program = "import os\\nassert os.sched_getscheduler(0) == os.SCHED_OTHER\\nassert os.nice(0) == \(own.niceness)\\ndef one():\\n    return 1\\n"
        let suite = try fixture.makeRoot(suite: """
            suite: priority
            conditions:
              none: {}
            subjects:
              a: {provider: reference, behaviour: base}
            probes:
              code: {kind: code, items: tasks.yaml, samples: 3}
            measures:
              capability: {probe: code, metric: pass_rate, better: higher}
            """)
        try fixture.write("Suites/probes/tasks.yaml", """
            tasks:
              - id: priority
                prompt: Write one().
                solution: "\(program)"
                broken: "\(program)"
                tests: ["assert one() == 1"]
            """)
        let project = try fixture.project()
        var options = GateProject.RunOptions()
        options.warn = { _ in }
        let result = try await project.run(try project.loadSuite(suite), options: options)
        let capability = try #require(result.measures.first { $0.key.measure == "capability" })
        #expect(capability.estimate?.value == 1, "\(result.samples.map(\.score.detail))")
    }

    /// Records what was stored and the priority of the thread that stored it.
    final class RecordingCache: ResponseCache {
        struct Seen {
            var stored = 0
            var priorities: [(idle: Bool, niceness: Int32)] = []
        }

        let seen = Mutex(Seen())

        func cachedAnswer(_ key: String) throws -> String? { nil }

        func storeAnswer(_ answer: String, key: String, provider: String) throws {
            try storeAnswers([CachedAnswer(key: key, answer: answer, provider: provider)])
        }

        func storeAnswers(_ answers: [CachedAnswer]) throws {
            let priority = ThreadPriority.current
            seen.withLock { seen in
                seen.stored += answers.count
                if let priority { seen.priorities.append(priority) }
            }
        }
    }
}
