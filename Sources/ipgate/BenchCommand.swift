import ArgumentParser
import Foundation
import InoculationGate

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: the code scorer (default) and an OpenAI-compatible endpoint.",
        subcommands: [CodeBench.self, HTTPBench.self], defaultSubcommand: CodeBench.self)
}

struct CodeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Measure the code scorer: samples per second at 1 and 2 workers, and the sandbox's cost over a bare python3 run.",
        discussion: "Runs the reference solutions of the shipped code tasks, each made distinct so that nothing is served from the memo.")

    @Option(help: "Rounds over the tasks per configuration.")
    var rounds = 2

    @OptionGroup var rootOptions: RootOptions

    func run() async throws {
        let project = try rootOptions.project()
        let suite = try project.loadSuite(project.root.suites + "/reference.yaml")
        let tasks = suite.probes.filter { $0.kind == .code }.flatMap(\.items).compactMap(\.codeTask)
        let python = try await PythonInterpreter.resolve(environment: project.environment)
        let detected = await Sandbox.detect(environment: project.environment)
        print("\(tasks.count) tasks × \(rounds) rounds per configuration; python \(python); \(detected)")

        // Bare: python3 in a temporary folder, no limits, no uid change, no isolation.
        let bare = try await measure(tasks, workers: 1) { program in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ipgate-bare-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try program.write(toFile: folder + "/main.py", atomically: false, encoding: .utf8)
            _ = try await ProcessRunner().run([python, "-I", "-S", "-B", "main.py"], directory: folder, environment: [:], timeLimit: 10)
        }
        report("bare python3, 1 worker", bare, baseline: nil)
        var isolations: [(String, Sandbox.Isolation)] = [("limits only", .limitsOnly(reason: "benchmark"))]
        if case .bubblewrap = detected { isolations.append(("bubblewrap", detected)) }
        for (name, isolation) in isolations {
            for workers in [1, 2] {
                let sandbox = Sandbox(python: python, isolation: isolation)
                let seconds = try await measure(tasks, workers: workers) { program in _ = await sandbox.run(program: program) }
                report("\(name), \(workers) worker\(workers == 1 ? "" : "s")", seconds, baseline: workers == 1 ? bare : nil)
            }
        }
    }

    private func measure(_ tasks: [CodeTask], workers: Int, _ body: @escaping @Sendable (String) async throws -> Void) async throws -> [Double] {
        var programs: [String] = []
        for round in 0..<rounds {
            for task in tasks { programs.append(task.program(testing: task.solution) + "# round \(round) \(UUID().uuidString)\n") }
        }
        let limiter = AsyncLimiter(limit: workers)
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for program in programs { group.addTask { try await limiter.run { try await body(program) } } }
            try await group.waitForAll()
        }
        return [Date().timeIntervalSince(start), Double(programs.count)]
    }

    private func report(_ name: String, _ measured: [Double], baseline: [Double]?) {
        let (seconds, count) = (measured[0], measured[1])
        var line = String(format: "%-28@ %6.1f samples/s  %6.1f ms per sample", name as NSString, count / seconds, 1000 * seconds / count)
        if let baseline {
            line += String(format: "  (+%.1f ms over bare)", 1000 * (seconds / count - baseline[0] / baseline[1]))
        }
        print(line)
    }
}
