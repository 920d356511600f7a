import Foundation

/// Scores a code answer by running the item's tests against it in the
/// ``Sandbox``: a fresh scratch folder, isolation where the machine allows it,
/// and limits on time, memory, processes, files and output.
///
/// A failing, crashing, hanging or hostile program is a failed *sample*, never
/// a failed run. Identical programs (the same code and tests) are run once per
/// scorer: execution of these tasks is deterministic (`PYTHONHASHSEED=0`), and
/// reference organisms repeat answers often.
package final class CodeScorer: Sendable {
    /// Enters every baseline fingerprint; bump when outcomes could change.
    package static let version = "code-1"

    package let sandbox: Sandbox
    private let limiter: AsyncLimiter
    private let memo = Memo()

    /// - Parameters:
    ///   - python: absolute path of the interpreter (see ``PythonInterpreter``).
    ///   - parallelism: programs run at once; defaults to the number of cores.
    ///   - isolation: how programs are isolated (see ``Sandbox/detect(environment:)``).
    package init(python: String, timeLimit: Double = 10, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount, isolation: Sandbox.Isolation) {
        var limits = SandboxLimits()
        limits.wallSeconds = timeLimit
        limits.cpuSeconds = Int(timeLimit.rounded(.up)) + 1
        sandbox = Sandbox(python: python, limits: limits, isolation: isolation)
        limiter = AsyncLimiter(limit: parallelism)
    }

    /// The number of programs actually executed so far (memo misses).
    package var executions: Int { get async { await memo.misses } }

    package func score(answer: String, task: CodeTask) async -> SampleScore {
        guard let code = CodeExtractor.extract(answer, continuing: task.prefix != nil) else {
            return SampleScore(code: .noCode, detail: "no code in the answer")
        }
        return await score(program: task.program(testing: code))
    }

    /// Scores a complete program (code followed by its tests).
    package func score(program: String) async -> SampleScore {
        await memo.value(for: SHA256.hex(program)) {
            await self.limiter.run {
                let outcome = await self.sandbox.run(program: program)
                var score = SampleScore(code: outcome.code, detail: outcome.detail)
                score.harnessError = outcome.harnessError
                return score
            }
        }
    }

    /// Single-flight memo: concurrent requests for one key share one execution.
    private actor Memo {
        private var tasks: [String: Task<SampleScore, Never>] = [:]
        private(set) var misses = 0

        func value(for key: String, compute: @escaping @Sendable () async -> SampleScore) async -> SampleScore {
            if let task = tasks[key] { return await task.value }
            misses += 1
            let task = Task { await compute() }
            tasks[key] = task
            return await task.value
        }
    }
}
