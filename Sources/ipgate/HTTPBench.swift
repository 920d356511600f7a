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
            temporary project), and — once — a minimal single-connection Python http.client loop sending the same \
            bodies. CPU time is the measuring process's user + system time (getrusage), so it is the client's cost, \
            not the server's; a server on the same machine competes for its cores. Scripts/bench-server.py is a \
            fast local server for this.
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
            let row = try await bench.provider(concurrency: level)
            bare[level] = row
            print(row.line(against: nil))
            if !noRun {
                print(try await bench.wholeRun(concurrency: level).line(against: row))
            }
        }
        if python != "none" {
            print(try bench.minimalClient(python: python).line(against: bare[1]))
        }
    }
}
