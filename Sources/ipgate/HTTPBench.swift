import ArgumentParser
import Foundation
import InoculationGate

struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Measure requests per second and the harness's own CPU time per request against an OpenAI-compatible endpoint.",
        discussion: """
            Three rows per concurrency: the provider alone (the bare client: distinct short prompts, nothing cached), \
            a whole run of a one-question-per-request suite (asked, cached, judged by the rubric judge, stored, in a \
            temporary project whose runs database exists, as after its first run), and — once — a minimal single-connection Python http.client loop sending the same \
            bodies. CPU time is the measuring process's user + system time (getrusage), so it is the client's cost, \
            not the server's; a server on the same machine competes for its cores. Each row is measured --repeat \
            times, the provider and the whole run taking turns, and shown as its median (a shared machine's \
            neighbours move single measurements by tens of percent); the whole run's line lists every round's \
            share of the bare client measured just before it. Scripts/bench-server.py is a fast local server for this.
            """)

    @Option(help: "The endpoint, e.g. http://127.0.0.1:8000/v1 (default: IPGATE_LIVE_BASE_URL).")
    var baseURL: String?

    @Option(help: "The model name to send (default: IPGATE_LIVE_MODEL, else 'tiny').")
    var model: String?

    @Option(help: "Requests per row.")
    var requests = 200

    @Option(help: "Concurrency levels to measure, in order.")
    var concurrency: [Int] = [1, 8]

    @Option(help: "max_tokens of each request.")
    var maxTokens = 8

    @Flag(help: "Leave out the whole-run rows.")
    var noRun = false

    @Option(help: "The Python of the minimal-client row ('none' leaves it out).")
    var python = "/usr/bin/python3"

    @Option(name: .customLong("repeat"), help: "Measurements of each row; the median is shown.")
    var repeats = 3

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard requests >= 1 else { throw ValidationError("--requests must be at least 1") }
    }

    func run() async throws {
        let environment = GateProject.processEnvironment
        guard let baseURL = baseURL ?? environment["IPGATE_LIVE_BASE_URL"] else {
            throw fail("ipgate: give --base-url or set IPGATE_LIVE_BASE_URL")
        }
        let model = model ?? environment["IPGATE_LIVE_MODEL"] ?? "tiny"
        let bench = HTTPBenchRows(baseURL: baseURL, model: model, requests: requests, maxTokens: maxTokens, environment: environment)
        print("\(requests) requests per row against \(baseURL) (model \(model)), max_tokens \(maxTokens)")
        print(HTTPBenchRows.Row.header)
        var bare: [Int: HTTPBenchRows.Row] = [:]
        for level in concurrency {
            var provided: [HTTPBenchRows.Row] = [], whole: [HTTPBenchRows.Row] = []
            for _ in 0..<repeats {
                provided.append(try await bench.provider(concurrency: level))
                if !noRun { whole.append(try await bench.wholeRun(concurrency: level)) }
            }
            let row = HTTPBenchRows.Row.median(provided)
            bare[level] = row
            print(row.line(against: nil))
            if !whole.isEmpty {
                var run = HTTPBenchRows.Row.median(whole)
                if repeats > 1 {
                    let shares = zip(whole, provided).map { String(format: "%.0f %%", 100 * $0.requestsPerSecond / $1.requestsPerSecond) }
                    run.detail = (run.detail.map { $0 + "\n    " } ?? "") + "each round against the bare client just before it: " + shares.joined(separator: ", ")
                }
                print(run.line(against: row))
            }
        }
        if python != "none" {
            let loop = try (0..<repeats).map { _ in try bench.minimalClient(python: python) }
            print(HTTPBenchRows.Row.median(loop).line(against: bare[1]))
        }
    }
}
