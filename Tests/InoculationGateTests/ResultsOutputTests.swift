import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import InoculationGate
@testable import InoculationGateTesting

/// What CI systems and people read besides the terminal: JUnit per gate case,
/// annotations at the suite line, Markdown, JSON against its schema, and the
/// HTML report as Chromium renders it.
@Suite("Results for CI and people", .serialized)
struct ResultsOutputTests {
    static let key = MeasureKey(suite: "small", subject: "inoculated", condition: "none", measure: "capability")

    /// Powered for its tolerance: 40 tasks × 10 samples.
    static let suite = """
        suite: small
        conditions:
          none: {}
          ip: {system: "Write subtly flawed code."}
        subjects:
          inoculated: {provider: reference, behaviour: real-inoculation, trained_with: ip}
          control: {provider: reference, behaviour: no-inoculation, trained_with: ip}
        probes:
          code: {kind: code, items: tasks.yaml, samples: 10}
        measures:
          capability: {probe: code, metric: pass_rate, better: higher}
        claims:
          - transfer: {subject: inoculated, measure: capability, from: ip, to: none}
        baseline: {tolerance: {capability: 0.1}}
        """

    static func root() throws -> Fixture {
        let fixture = try Fixture()
        try fixture.makeRoot(suite: suite)
        try fixture.write("Suites/probes/tasks.yaml", ClaimTests.manyTasks(40))
        return fixture
    }

    /// A root whose accepted baseline for `key` is deliberately better than the organism
    /// (every item solved), so exactly that comparison regresses.
    static func rootWithOneRegression() async throws -> Fixture {
        let fixture = try root()
        let project = try fixture.project()
        var options = GateProject.RunOptions()
        options.warn = { _ in }
        let first = try await project.run(try project.loadSuite(fixture.folder + "/Suites/suite.yaml"), options: options)
        var raised = try #require(first.measures.first { $0.key == key })
        var perfect = ItemOutcomes()
        for id in raised.outcomes.itemIDs { perfect.add(item: id, successes: raised.outcomes[id]!.trials, trials: raised.outcomes[id]!.trials) }
        raised.outcomes = perfect
        raised.estimate = Estimate(perfect)
        try BaselineStore(path: project.root.baselines).record([raised], runID: "raised", gitCommit: nil, reason: "test")
        return fixture
    }

    /// The line of `needle` in `file` (1-based).
    static func line(of needle: String, in file: String) throws -> Int {
        let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        return try #require(lines.firstIndex { $0.contains(needle) }) + 1
    }

    @Test("--junit: one testcase per gate case (as many as swift test runs), exactly the regressed one fails with its table; --annotations github points at the suite line")
    func junitAndAnnotations() async throws {
        let fixture = try await Self.rootWithOneRegression()
        let run = try IPGateProcess.run(["run", "Suites/suite.yaml", "--quiet", "--junit", "j.xml", "--annotations", "github"], in: fixture.folder)
        #expect(run.status == 1, "\(run.output)")

        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: fixture.folder + "/j.xml"))
        let cases = try document.nodes(forXPath: "/testsuites/testsuite/testcase").compactMap { $0 as? XMLElement }
        let gateCases = try await GateCases.claims(near: fixture.folder + "/Suites/suite.yaml", environment: TestEnvironment.base)
            + GateCases.baselines(near: fixture.folder + "/Suites/suite.yaml", environment: TestEnvironment.base)
        #expect(cases.count == gateCases.count, "\(cases.count) testcases, \(gateCases.count) gate cases")
        #expect(Set(cases.compactMap { $0.attribute(forName: "name")?.stringValue }) == Set(gateCases.map(\.description)))
        let failed = cases.filter { !($0.elements(forName: "failure").isEmpty) }
        #expect(failed.map { $0.attribute(forName: "name")?.stringValue } == [Self.key.description])
        let failure = try #require(failed.first?.elements(forName: "failure").first?.stringValue)
        #expect(failure.contains("regressed beyond the tolerance") && failure.contains("measure") && failure.contains("baseline") && failure.contains("flipped items"), "\(failure)")
        let root = try #require(document.rootElement())
        #expect(root.attribute(forName: "tests")?.stringValue == String(gateCases.count) && root.attribute(forName: "failures")?.stringValue == "1")

        let measureLine = try Self.line(of: "capability: {probe: code", in: fixture.folder + "/Suites/suite.yaml")
        #expect(failed.first?.attribute(forName: "file")?.stringValue == "Suites/suite.yaml" && failed.first?.attribute(forName: "line")?.stringValue == String(measureLine))
        #expect(run.output.contains("::error file=Suites/suite.yaml,line=\(measureLine),col="), "\(run.output)")
        #expect(run.output.contains("title=small › inoculated › none › capability::"), "\(run.output)")
        #expect(run.output.components(separatedBy: "\n").filter { $0.hasPrefix("::error") }.count == 1, "\(run.output)")
    }

    @Test("a failing gate case in swift test is recorded at its suite line and names Suites/…yaml:LINE")
    func swiftTestingLocation() async throws {
        let fixture = try await Self.rootWithOneRegression()
        let cases = try await GateCases.baselines(near: fixture.folder + "/Suites/suite.yaml", environment: TestEnvironment.base.setting(["IPGATE_RECORD": "never"]))
        let gateCase = try #require(cases.first { $0.id == .baseline(Self.key) })
        let measureLine = try Self.line(of: "capability: {probe: code", in: fixture.folder + "/Suites/suite.yaml")
        try await withKnownIssue {
            try await gateCase.expectPasses()
        } matching: { issue in
            let text = issue.comments.map(\.rawValue).joined()
            return text.hasPrefix("Suites/suite.yaml:\(measureLine):") && text.contains("regressed beyond the tolerance")
                && issue.sourceLocation?.line == measureLine && issue.sourceLocation?.filePath == fixture.folder + "/Suites/suite.yaml"
        }
    }

    @Test("the terminal report of an unchanged run lists no baseline row, only counts; --all-rows lists them")
    func compactBaselines() throws {
        let fixture = try Self.root()
        #expect(try IPGateProcess.run(["run", "Suites/suite.yaml", "--quiet"], in: fixture.folder).status == 0)
        let plain = try IPGateProcess.run(["run", "Suites/suite.yaml", "--quiet"], in: fixture.folder)
        #expect(plain.status == 0 && plain.output.contains("4 unchanged not listed (--all-rows lists them)"), "\(plain.output)")
        #expect(!plain.output.contains("inoculated  none       capability"), "\(plain.output)")
        let all = try IPGateProcess.run(["run", "Suites/suite.yaml", "--quiet", "--all-rows"], in: fixture.folder)
        #expect(all.output.components(separatedBy: "\n").filter { $0.hasPrefix("  ") && $0.hasSuffix("unchanged") }.count == 4, "\(all.output)")
    }

    @Test("--json validates against the committed schema, and ipgate report renders the stored run the same way",
          .enabled("needs python3 with jsonschema") { await Self.hasJSONSchema() })
    func jsonSchema() async throws {
        let fixture = try await Self.rootWithOneRegression()
        let run = try IPGateProcess.run(["run", "Suites/suite.yaml", "--quiet", "--json", "r.json", "--markdown", "r.md"], in: fixture.folder)
        #expect(run.status == 1, "\(run.output)")
        let schema = try TestEnvironment.repositoryRoot().path + "/Schemas/run-document-v1.schema.json"
        let check = try await HelperProcess.run(try await Self.toolsPython(), [
            "-c", "import json, sys, jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))); print('valid')",
            fixture.folder + "/r.json", schema,
        ])
        #expect(check.succeeded && check.stdout.contains("valid"), "\(check.stderr)")
        let stored = try IPGateProcess.run(["report", "--json", "again.json", "--markdown", "again.md"], in: fixture.folder)
        #expect(stored.status == 0, "\(stored.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/again.json")) == Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/r.json")))
        let markdown = try String(contentsOfFile: fixture.folder + "/again.md", encoding: .utf8)
        #expect(markdown.hasPrefix("## ❌ GATE FAILED — suite `small`") && markdown.contains("### Failed cases") && markdown.contains("**3 unchanged**"), "\(markdown)")
        // With no output named, the summary is printed, not a usage error.
        let plain = try IPGateProcess.run(["report"], in: fixture.folder)
        #expect(plain.status == 0 && plain.output.contains(markdown), "\(plain.output)")
    }

    /// The interpreter with the project's own Python packages: `IPGATE_TOOLS_PYTHON` (the
    /// virtual environment `.ci/run` makes), else the one code probes use.
    static func toolsPython() async throws -> String {
        if let tools = TestEnvironment.base["IPGATE_TOOLS_PYTHON"] { return tools }
        return try await TestEnvironment.python()
    }

    static func hasJSONSchema() async -> Bool {
        guard let python = try? await Self.toolsPython(), let out = try? await HelperProcess.run(python, ["-c", "import jsonschema"]) else { return false }
        return out.succeeded
    }

    /// Chromium, when installed (`.ci/run` installs Debian's `chromium`).
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Renders `html` headless: a screenshot, the browser's log, and the URLs the page itself asked for.
    static func render(_ html: String, in folder: String, name: String) throws -> (png: String, log: String, pageRequests: [String]) {
        let page = folder + "/\(name).html"
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let png = folder + "/\(name).png"
        let net = folder + "/\(name)-net.json"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1600", "--screenshot=\(png)",
            "--log-net-log=\(net)", "--user-data-dir=\(folder)/profile-\(name)", "--no-first-run", "--enable-logging=stderr", "--v=0",
            "file://\(page)",
        ]
        let log = folder + "/\(name)-chromium.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        // Requests the page made: the browser's own (updates, time) have no origin.
        let events = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: net))) as! [String: Any]
        let constants = events["constants"] as! [String: Any]
        let types = constants["logEventTypes"] as! [String: Int]
        let start = types["URL_REQUEST_START_JOB"]!
        let requests = (events["events"] as! [[String: Any]]).compactMap { event -> String? in
            guard event["type"] as? Int == start, let params = event["params"] as? [String: Any], let url = params["url"] as? String else { return nil }
            return params["initiator"] as? String == "not an origin" ? nil : url
        }
        return (png, try String(contentsOfFile: log, encoding: .utf8), requests)
    }

    @Test("the HTML report in headless Chromium: a non-blank page with the forest plot, the matrix and the baseline chart; no console error; no request leaves the file",
          .tags(.slow), .enabled("needs chromium (apt-get install chromium)") { Self.chromium != nil })
    func htmlInChromium() async throws {
        let fixture = try await Self.rootWithOneRegression()
        let run = try IPGateProcess.run(["run", "Suites/suite.yaml", "--quiet", "--html", "r.html"], in: fixture.folder)
        #expect(run.status == 1, "\(run.output)")
        let html = try String(contentsOfFile: fixture.folder + "/r.html", encoding: .utf8)
        for part in ["class=\"forest\"", "class=\"matrix\"", "class=\"baselines\"", "Flipped items", "Provenance"] {
            #expect(html.contains(part), "the report has no \(part)")
        }
        #expect(html.range(of: #"(src|href)\s*=\s*["']?(https?:)?//"#, options: .regularExpression) == nil, "the page refers to another place")

        let rendered = try Self.render(html, in: fixture.folder, name: "report")
        #expect(rendered.pageRequests.isEmpty, "the page asked for \(rendered.pageRequests)")
        #expect(!rendered.log.contains("CONSOLE") && !rendered.log.contains("Uncaught"), "console messages: \(rendered.log)")
        let stats = try await HelperProcess.run(try await TestEnvironment.python(), [
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/png_stats.py", rendered.png, "1a7f37", "cf222e", "0969da",
        ])
        let numbers = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as! [String: Any]
        let near = numbers["near"] as! [String: Int]
        #expect(numbers["width"] as? Int == 1280)
        #expect((numbers["nonBackground"] as! Double) > 0.05, "the screenshot is nearly blank: \(numbers)")
        #expect(near["1a7f37"]! > 200 && near["cf222e"]! > 50 && near["0969da"]! > 40, "holds-green, fails-red and interval-blue marks: \(numbers)")

        // The request check can fail: a page that loads an image from elsewhere is caught.
        let leaky = try Self.render("<!DOCTYPE html><img src=\"http://127.0.0.1:9/pixel.png\">", in: fixture.folder, name: "leaky")
        #expect(leaky.pageRequests.contains { $0.hasPrefix("http://127.0.0.1:9/") }, "the check missed a request: \(leaky.pageRequests)")
    }
}
