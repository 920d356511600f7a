import ArgumentParser
import Foundation
import InoculationGate

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: the code scorer (default), an OpenAI-compatible endpoint, an offline organism run.",
        subcommands: [CodeBench.self, HTTPBench.self, OfflineBench.self], defaultSubcommand: CodeBench.self)
}

struct CodeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Measure the code scorer: samples per second at 1 and N workers — bare python3, limits only, bubblewrap per program, warm sandbox.",
        discussion: "Runs the reference solutions of the shipped code tasks, each made distinct so that nothing is served from the memo.")

    @Option(help: "Rounds over the tasks per configuration.")
    var rounds = 5

    @Option(help: "Workers of the second configuration (default: the number of cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var rootOptions: RootOptions

    func run() async throws {
        let project = try rootOptions.project()
        let suite = try project.loadSuite(project.root.suites + "/reference.yaml")
        let tasks = suite.probes.filter { $0.kind == .code }.flatMap(\.items).compactMap(\.codeTask)
        let detected = await Sandbox.detect(environment: project.environment)
        // Every row runs the interpreter the sandbox runs (with bubblewrap, the system's).
        let python = Sandbox(python: try await PythonInterpreter.resolve(environment: project.environment), isolation: detected, warm: false).python
        print("\(tasks.count) tasks × \(rounds) rounds per configuration; python \(python); \(detected)")

        // Bare: python3 spawned per program the cheapest honest way (posix_spawn, no limits, no
        // uid change, no isolation), in a temporary folder.
        let workerCounts = Array(Set([1, workers])).sorted()
        var bare: [Int: Measured] = [:]
        for count in workerCounts {
            bare[count] = try await measure(tasks, workers: count) { program in
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ipgate-bare-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
                defer { try? FileManager.default.removeItem(atPath: folder) }
                try program.write(toFile: folder + "/main.py", atomically: false, encoding: .utf8)
                _ = try await ProcessRunner().run([python, "-I", "-S", "-B", "main.py"], directory: folder, environment: [:], timeLimit: 10)
            }
            report("bare python3, \(count) worker\(count == 1 ? "" : "s")", bare[count]!, bare: nil)
        }
        var rows: [(String, Sandbox.Isolation, Bool)] = [("limits only", .limitsOnly(reason: "benchmark"), false)]
        if case .bubblewrap = detected {
            rows.append(("bubblewrap per program", detected, false))
            rows.append(("warm sandbox (bubblewrap)", detected, true))
        }
        for (name, isolation, warm) in rows {
            for count in workerCounts {
                let sandbox = Sandbox(python: python, isolation: isolation, warm: warm)
                let measured = try await measure(tasks, workers: count) { program in _ = await sandbox.run(program: program) }
                report("\(name), \(count) worker\(count == 1 ? "" : "s")", measured, bare: bare[count], showsWarmUp: warm)
            }
        }
    }

    /// One row's measurement: the counted programs and their wall time, and the uncounted
    /// first program per worker.
    private struct Measured {
        var seconds: Double
        var programs: Int
        var warmUp: Double

        var perSecond: Double { Double(programs) / seconds }
    }

    private func measure(_ tasks: [CodeTask], workers: Int, _ body: @escaping @Sendable (String) async throws -> Void) async throws -> Measured {
        var programs: [String] = []
        for round in 0..<rounds {
            for task in tasks { programs.append(task.program(testing: task.solution) + "# round \(round) \(UUID().uuidString)\n") }
        }
        // Throughput is measured once every worker is going: a first program per worker, not
        // counted, starts the warm sandbox's workers (once per run) and warms the page cache
        // for every row alike. Its time is shown on the warm rows.
        let limiter = AsyncLimiter(limit: workers)
        func runAll(_ programs: [String]) async throws -> Double {
            let start = Date()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for program in programs { group.addTask { try await limiter.run { try await body(program) } } }
                try await group.waitForAll()
            }
            return Date().timeIntervalSince(start)
        }
        let warmUp = try await runAll((0..<workers).map { "# warm-up \($0) \(UUID().uuidString)\npass\n" })
        return Measured(seconds: try await runAll(programs), programs: programs.count, warmUp: warmUp)
    }

    private func report(_ name: String, _ measured: Measured, bare: Measured?, showsWarmUp: Bool = false) {
        var line = name.padding(toLength: 40, withPad: " ", startingAt: 0)
            + String(format: "%7.1f samples/s  %6.2f ms per sample", measured.perSecond, 1000 * measured.seconds / Double(measured.programs))
        if let bare {
            line += String(format: "  %5.0f%% of bare's throughput", 100 * measured.perSecond / bare.perSecond)
        }
        if showsWarmUp { line += String(format: "  (workers started in %.0f ms, not counted)", 1000 * measured.warmUp) }
        print(line)
    }
}
