import Foundation

/// Scores a code answer by running the item's tests against it with `python3`
/// in a fresh temporary directory, under a time limit and resource limits.
///
/// A failing, crashing or hanging program is a failed *sample*, never a failed
/// run. Identical programs (the same code and tests) are run once per scorer:
/// execution of these tasks is deterministic (`PYTHONHASHSEED=0`), and
/// reference organisms repeat answers often.
public final class CodeScorer: Sendable {
    /// Enters every baseline fingerprint; bump when outcomes could change.
    public static let version = "code-1"

    public let python: String
    public let timeLimit: Double
    private let runner = ProcessRunner()
    private let limiter: AsyncLimiter
    private let memo = Memo()

    /// - Parameters:
    ///   - python: absolute path of the interpreter (see ``PythonInterpreter``).
    ///   - parallelism: programs run at once; defaults to the number of cores.
    public init(python: String, timeLimit: Double = 10, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.python = python
        self.timeLimit = timeLimit
        limiter = AsyncLimiter(limit: parallelism)
    }

    /// The number of programs actually executed so far (memo misses).
    public var executions: Int { get async { await memo.misses } }

    public func score(answer: String, task: CodeTask) async -> SampleScore {
        guard let code = CodeExtractor.extract(answer) else {
            return SampleScore(code: .noCode, detail: "no code in the answer")
        }
        let program = code + "\n\n# --- tests ---\n" + task.tests.joined(separator: "\n") + "\n"
        let key = SHA256.hex(program)
        return await memo.value(for: key) {
            await self.limiter.run { await self.execute(program) }
        }
    }

    private func execute(_ program: String) async -> SampleScore {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ipgate-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try program.write(toFile: directory + "/main.py", atomically: false, encoding: .utf8)
            let limits = ["/usr/bin/prlimit", "--as=\(1 << 30)", "--fsize=\(16 << 20)", "--nofile=64", "--cpu=\(Int(timeLimit) + 1)", "--"]
            let prefix = FileManager.default.isExecutableFile(atPath: limits[0]) ? limits : []
            let result = try await runner.run(
                prefix + [python, "-I", "-S", "-B", "main.py"], directory: directory,
                environment: [
                    "PATH": "/usr/bin:/bin", "HOME": directory, "LANG": "C.UTF-8",
                    "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8",
                ],
                timeLimit: timeLimit)
            return Self.interpret(result)
        } catch {
            return SampleScore(code: .error, detail: "could not run the program: \(error)")
        }
    }

    static func interpret(_ result: ProcessRunner.Result) -> SampleScore {
        switch result.termination {
        case .exited(0):
            return SampleScore(code: .passed, detail: "passed")
        case .exited:
            let lastLine = result.stderr.split(separator: "\n").last.map(String.init) ?? "exited non-zero"
            let outcome: CodeOutcome = lastLine.hasPrefix("AssertionError") ? .failedAssertion : .error
            return SampleScore(code: outcome, detail: String(lastLine.prefix(200)))
        case .signalled(let signal):
            return SampleScore(code: .killed, detail: "killed by signal \(signal)")
        case .timedOut:
            return SampleScore(code: .timeout, detail: "ran past the time limit")
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
