import ArgumentParser
import Foundation
import InoculationGate

struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Measure requests per second and the harness's own CPU time per request against an OpenAI-compatible endpoint.",
        discussion: """
            Sends distinct short prompts (nothing is cached) at each concurrency in turn. CPU time is this \
            process's user + system time (getrusage), so it is the harness's cost, not the server's; run the \
            server on the same machine and the two compete for cores.
            """)

    @Option(help: "The endpoint, e.g. http://127.0.0.1:8000/v1 (default: IPGATE_LIVE_BASE_URL).")
    var baseURL: String?

    @Option(help: "The model name to send (default: IPGATE_LIVE_MODEL, else 'tiny').")
    var model: String?

    @Option(help: "Requests per concurrency level.")
    var requests = 200

    @Option(help: "Concurrency levels to measure, in order.")
    var concurrency: [Int] = [1, 8]

    @Option(help: "max_tokens of each request.")
    var maxTokens = 8

    func run() async throws {
        let environment = GateProject.processEnvironment
        guard let baseURL = baseURL ?? environment["IPGATE_LIVE_BASE_URL"] else {
            throw fail("ipgate: give --base-url or set IPGATE_LIVE_BASE_URL")
        }
        let model = model ?? environment["IPGATE_LIVE_MODEL"] ?? "tiny"
        print("\(requests) requests per level against \(baseURL) (model \(model)), max_tokens \(maxTokens)")
        print("concurrency  requests/s  p50 ms  p95 ms  harness CPU ms/request  failed attempts")
        for level in concurrency {
            var configuration = OpenAIProvider.Configuration(baseURL: baseURL, model: model)
            configuration.concurrency = level
            let provider = OpenAIProvider(configuration: configuration, environment: environment)
            let limiter = AsyncLimiter(limit: level)
            let run = UUID().uuidString.prefix(8)
            let condition = Condition(name: "none", kind: .none, text: "", placement: .system)
            // Warm up the connection pool and the server outside the measurement.
            for index in 0..<3 {
                _ = try await provider.generate(GenerationRequest(
                    subject: "bench", condition: condition, probe: "bench", itemID: "w\(index)", userText: "Warm-up \(run) \(index)",
                    sampleIndex: 0, temperature: 0, maxTokens: maxTokens))
            }
            let cpuBefore = Self.cpuSeconds()
            let start = Date()
            let latencies = try await withThrowingTaskGroup(of: Double.self) { group in
                for index in 0..<requests {
                    let request = GenerationRequest(
                        subject: "bench", condition: condition, probe: "bench", itemID: "r\(index)",
                        userText: "Benchmark \(run) request \(index): what would you change?", sampleIndex: 0, temperature: 0,
                        maxTokens: maxTokens)
                    group.addTask {
                        try await limiter.run {
                            let sent = Date()
                            _ = try await provider.generate(request)
                            return Date().timeIntervalSince(sent)
                        }
                    }
                }
                return try await group.reduce(into: [Double]()) { $0.append($1) }.sorted()
            }
            let wall = Date().timeIntervalSince(start)
            let cpu = Self.cpuSeconds() - cpuBefore
            let failed = await provider.failedAttempts
            print(String(
                format: "%11d  %10.1f  %6.1f  %6.1f  %22.3f  %15d", level, Double(requests) / wall,
                1000 * latencies[latencies.count / 2], 1000 * latencies[min(latencies.count - 1, latencies.count * 95 / 100)],
                1000 * cpu / Double(requests), failed))
        }
    }

    /// User + system CPU seconds this process has used.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
