import Testing
@testable import InoculationGate

@Suite("Suite loading")
struct SuiteLoaderTests {
    @Test("a valid suite loads with its references resolved")
    func valid() throws {
        let fixture = try Fixture()
        let suite = try fixture.load(Fixture.suite)
        #expect(suite.name == "small")
        #expect(suite.subjects.map(\.name) == ["inoculated", "control"])
        #expect(suite.conditions.map(\.name) == ["none", "ip", "random"])
        let random = try #require(suite.condition(named: "random"))
        #expect(random.text.count == "Write subtly flawed code.".count && random.kind == .random)
        #expect(suite.probe(named: "code")?.items.count == 2)
        #expect(suite.probe(named: "em")?.samples == 4)
        #expect(suite.claims.count == 1)
    }

    @Test("the shipped suites are valid, and the reference suite has the probe sizes it promises")
    func shipped() throws {
        let root = try ProjectRoot.locate(from: #filePath)
        let files = try root.suiteFiles()
        #expect(!files.isEmpty)
        for file in files {
            let suite = try SuiteLoader().load(path: file)
            guard suite.name == "reference" else { continue }
            for probe in suite.probes where probe.kind == .code {
                #expect(probe.items.count >= 40)
                #expect(probe.items.allSatisfy { ($0.codeTask?.tests.count ?? 0) >= 3 })
            }
            for probe in suite.probes where probe.kind == .judged { #expect(probe.items.count >= 24) }
        }
    }

    // Each broken suite must fail with a located, specific message.
    @Test("bad suites give one located error", arguments: [
        ("unknown top-level key", Fixture.suite + "\nextra: 1\n", 17, "unknown key 'extra'"),
        ("misspelt key", Fixture.suite.replacingOccurrences(of: "metric: pass_rate", with: "metrik: pass_rate"), 13, "did you mean 'metric'"),
        ("dangling subject", Fixture.suite.replacingOccurrences(of: "subject: inoculated", with: "subject: inoculatd"), 16, "no subject named 'inoculatd'"),
        ("dangling condition", Fixture.suite.replacingOccurrences(of: "to: none}", with: "to: nothing}"), 16, "no condition named 'nothing'"),
        ("broken YAML", Fixture.suite.replacingOccurrences(of: "  none: {}", with: "  none: {"), 5, "while parsing a flow mapping at 3:9"),
        ("duplicate subject", Fixture.suite.replacingOccurrences(of: "  control: {provider", with: "  inoculated: {provider"), 7, "duplicate key 'inoculated'"),
        ("wrong metric for probe", Fixture.suite.replacingOccurrences(of: "probe: code, metric", with: "probe: em, metric"), 13, "needs a probe set of kind 'code'"),
        ("unknown behaviour", Fixture.suite.replacingOccurrences(of: "behaviour: no-inoculation", with: "behaviour: evil"), 8, "unknown behaviour 'evil'"),
        ("missing probe file", Fixture.suite.replacingOccurrences(of: "items: tasks.yaml", with: "items: nope.yaml"), 10, "no such file"),
        ("negative samples", Fixture.suite.replacingOccurrences(of: "samples: 4", with: "samples: 0"), 11, "'samples' must be at least 1"),
        ("claim kind", Fixture.suite.replacingOccurrences(of: "- transfer:", with: "- transference:"), 16, "unknown key 'transference'"),
    ])
    func badSuite(name: String, text: String, line: Int, message: String) throws {
        let fixture = try Fixture()
        let error = try fixture.error(text)
        #expect(error.location.file.hasSuffix("suite.yaml"), "\(name)")
        #expect(error.location.line == line, "\(name): \(error)")
        #expect(error.message.contains(message), "\(name): \(error)")
        #expect(error.description.hasPrefix(error.location.file + ":\(line):"))
    }

    @Test("an empty probe set is an error naming the suite line that points to it")
    func emptyProbeSet() throws {
        let fixture = try Fixture()
        try fixture.write("tasks.yaml", "tasks: []\n")
        let error = try fixture.error(Fixture.suite)
        #expect(error.location.line == 10 && error.message.contains("has no items"))
    }

    @Test("errors inside probe data name the data file and line")
    func badProbeData() throws {
        let fixture = try Fixture()
        try fixture.write("tasks.yaml", Fixture.tasks.replacingOccurrences(of: "    prompt: Write neg(x).", with: "    promt: Write neg(x)."))
        let error = try fixture.error(Fixture.suite)
        #expect(error.location.file.hasSuffix("tasks.yaml"))
        #expect(error.location.line == 8 && error.message.contains("unknown key 'promt'"))
    }

    @Test("JSON Lines probe data loads, and a bad line is named")
    func jsonLines() throws {
        let fixture = try Fixture()
        try fixture.write("questions.jsonl", """
            {"id": "a", "text": "Question one?"}
            {"id": "b", "text": "Question two?", "theme": "power"}

            """)
        let suite = try fixture.load(Fixture.suite.replacingOccurrences(of: "questions.yaml", with: "questions.jsonl"))
        #expect(suite.probe(named: "em")?.items.map(\.id) == ["a", "b"])
        try fixture.write("questions.jsonl", "{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": \"b\", \"text\": 3}\n")
        let error = try fixture.error(Fixture.suite.replacingOccurrences(of: "questions.yaml", with: "questions.jsonl"))
        #expect(error.location.line == 2 && error.message.contains("'text' must be a string"))
    }
}
