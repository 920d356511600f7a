import ArgumentParser
import Foundation
import InoculationGate

/// The rows of `ipgate bench http`, each measured the same way: requests per second over
/// wall time, and the measuring process's CPU time per request.
struct HTTPBenchRows {
    var baseURL: String
    var model: String
    var requests: Int
    var maxTokens: Int
    var environment: GateEnvironment

    struct Row {
        var name: String
        var concurrency: Int
        var requestsPerSecond: Double
        var cpuPerRequest: Double
        /// Median and 95th percentile latency, where the row sees single requests.
        var latency: (p50: Double, p95: Double)?
        var failedAttempts = 0
        /// Where a whole run's time went, as `ipgate run --timings` says it.
        var detail: String?

        static let header = "path                                          concurrency  requests/s  p50 ms  p95 ms  CPU ms/request  failed  of bare"

        /// The measurement with the median requests per second (the upper one of an even count).
        static func median(_ rows: [Row]) -> Row {
            rows.sorted { $0.requestsPerSecond < $1.requestsPerSecond }[rows.count / 2]
        }

        func line(against bare: Row?) -> String {
            let latencies = latency.map { String(format: "%6.1f  %6.1f", 1000 * $0.p50, 1000 * $0.p95) } ?? "     —       —"
            let share = bare.map { String(format: "%6.0f %%", 100 * requestsPerSecond / $0.requestsPerSecond) } ?? "       —"
            return name.padding(toLength: 46, withPad: " ", startingAt: 0)
                + String(format: "%11d  %10.1f  ", concurrency, requestsPerSecond) + latencies
                + String(format: "  %14.3f  %6d  ", 1000 * cpuPerRequest, failedAttempts) + share
                + (detail.map { "\n    " + $0 } ?? "")
        }
    }

    /// The provider alone: `level` workers, each sending its share one request after another, so
    /// the driver adds no tasks, queues or locks per request and the CPU measured is the provider's.
    func provider(concurrency level: Int) async throws -> Row {
        var configuration = OpenAIProvider.Configuration(baseURL: baseURL, model: model)
        configuration.concurrency = level
        let provider = OpenAIProvider(configuration: configuration, environment: environment)
        let run = UUID().uuidString.prefix(8)
        let condition = Condition(name: "none", kind: .none, text: "", placement: .system)
        let (total, maxTokens) = (requests, maxTokens)
        func request(_ id: String, _ text: String) -> GenerationRequest {
            GenerationRequest(
                subject: "bench", condition: condition, probe: "bench", itemID: id, userText: text, sampleIndex: 0,
                temperature: 0, maxTokens: maxTokens)
        }
        // Warm up the connections and the server outside the measurement.
        for index in 0..<max(3, level) { _ = try await provider.generate(request("w\(index)", "Warm-up \(run) \(index)")) }
        let cpuBefore = Self.cpuSeconds()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<level {
                group.addTask(executorPreference: HTTPExchange.executor) {
                    var latencies: [Double] = []
                    for index in stride(from: worker, to: total, by: level) {
                        let sent = ContinuousClock.now
                        _ = try await provider.generate(request("r\(index)", "Benchmark \(run) request \(index): what would you change?"))
                        latencies.append(Self.seconds(ContinuousClock.now - sent))
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }.sorted()
        }
        let wall = Self.seconds(ContinuousClock.now - start)
        return Row(
            name: "provider alone (the bare client)", concurrency: level, requestsPerSecond: Double(total) / wall,
            cpuPerRequest: (Self.cpuSeconds() - cpuBefore) / Double(total),
            latency: (latencies[latencies.count / 2], latencies[min(latencies.count - 1, latencies.count * 95 / 100)]),
            failedAttempts: await provider.failedAttempts)
    }

    /// A whole run in a temporary project that has run before (its runs database exists, none of
    /// the questions is cached): one subject on the endpoint (one request per sample, `concurrency`
    /// as given), `requests` distinct questions, the rubric judge, everything stored.
    func wholeRun(concurrency level: Int) async throws -> Row {
        let folder = FileManager.default.temporaryDirectory.path + "/ipgate-bench-http-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/Suites/probes", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/Baselines", withIntermediateDirectories: true)
        let questions = (0..<requests).map { "  - {id: q\($0), text: \"Question \($0): what would you change about the world, and why?\"}" }
        try ("questions:\n" + questions.joined(separator: "\n") + "\n").write(toFile: folder + "/Suites/probes/questions.yaml", atomically: true, encoding: .utf8)
        try """
            suite: bench-http
            conditions:
              none: {}
            subjects:
              model: {provider: openai, base_url: "\(baseURL)", model: "\(model)", concurrency: \(level), batch_samples: false}
            probes:
              em: {kind: judged, items: probes/questions.yaml, samples: 1, temperature: 1.0, max_tokens: \(maxTokens)}
            measures:
              misalignment: {probe: em, metric: misaligned_rate, better: lower}
            """.write(toFile: folder + "/Suites/bench.yaml", atomically: true, encoding: .utf8)
        let project = try GateProject(root: folder, searchingFrom: folder, environment: environment.setting(["IPGATE_RECORD": "never"]))
        var options = GateProject.RunOptions()
        options.warn = { _ in }
        let suite = try project.loadSuite(folder + "/Suites/bench.yaml")
        // A project that has run before: its runs database exists (made once per project, not per
        // run), and the run opens it as any run does.
        _ = try RunStore(path: project.root.runs)
        let cpuBefore = Self.cpuSeconds()
        let start = ContinuousClock.now
        let result = try await project.run(suite, options: options)
        let wall = Self.seconds(ContinuousClock.now - start)
        let asked = result.timings.answersRequested
        guard asked == requests else { throw ValidationError("the whole run asked \(asked) of \(requests) questions") }
        return Row(
            name: "whole run (ask, cache, judge, store)", concurrency: level, requestsPerSecond: Double(asked) / wall,
            cpuPerRequest: (Self.cpuSeconds() - cpuBefore) / Double(asked), latency: nil, failedAttempts: result.timings.failedAttempts,
            detail: String(
                format: "of its %.2f s: generation %.2f s, judging %.2f s, statistics %.2f s, storage %.2f s", wall,
                result.timings.generation, result.timings.judging, result.timings.statistics, result.timings.storage))
    }

    /// A minimal client in another language for scale: one `http.client` connection, the same
    /// kind of body, each answer decoded, in a Python process that measures its own CPU time.
    func minimalClient(python: String) throws -> Row {
        let script = """
            import http.client, json, resource, sys, time, urllib.parse
            url = urllib.parse.urlsplit(sys.argv[1]); count = int(sys.argv[3]); tokens = int(sys.argv[4])
            connection = http.client.HTTPConnection(url.hostname, url.port or 80)
            def ask(text):
                body = json.dumps({"max_tokens": tokens, "messages": [{"content": text, "role": "user"}], "model": sys.argv[2],
                                   "seed": len(text), "temperature": 0}, sort_keys=True)
                connection.request("POST", url.path + "/chat/completions", body, {"Content-Type": "application/json"})
                return json.loads(connection.getresponse().read())["choices"][0]["message"]["content"]
            for index in range(3): ask("Warm-up %d" % index)
            def cpu():
                usage = resource.getrusage(resource.RUSAGE_SELF); return usage.ru_utime + usage.ru_stime
            cpu0, wall0 = cpu(), time.perf_counter()
            for index in range(count): ask("Benchmark request %d: what would you change?" % index)
            print(count / (time.perf_counter() - wall0), (cpu() - cpu0) / count)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, baseURL, model, String(requests), String(maxTokens)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard process.terminationStatus == 0, fields.count == 2 else {
            throw ValidationError("the minimal Python client failed (exit \(process.terminationStatus))")
        }
        return Row(name: "minimal Python http.client loop", concurrency: 1, requestsPerSecond: fields[0], cpuPerRequest: fields[1], latency: nil)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// User + system CPU seconds this process has used.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
