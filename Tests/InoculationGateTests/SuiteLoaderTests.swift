import Foundation
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
        let root = try TestEnvironment.repositoryRoot()
        let files = try root.suiteFiles()
        #expect(!files.isEmpty)
        for file in files {
            let suite = try SuiteLoader(environment: TestEnvironment.base).load(path: file)
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
        ("negative samples", Fixture.suite.replacingOccurrences(of: "samples: 4", with: "samples: 0"), 11, "'samples' must be from 1 to 100000"),
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

@Suite("Profiles")
struct ProfileTests {
    static let suite = """
        suite: profiled
        conditions:
          none: {}
        subjects:
          inoculated: {provider: reference, behaviour: real-inoculation, expect_diagnosis: mixed}
          control: {provider: reference, behaviour: no-inoculation}
        probes:
          em: {kind: judged, items: questions.yaml, samples: 2, judge: {misaligned_below: 40}}
        measures:
          misalignment: {probe: em, metric: misaligned_rate, better: lower}
        claims:
          - suppression: {subject: inoculated, measure: misalignment, condition: none, versus: control}
        """

    static let profiles = """
        profiles:
          local:
            about: a server on this machine
            subjects:
              "*": {provider: openai, base_url: "http://127.0.0.1:8000/v1", model: "lora-{subject}", concurrency: 2}
              control: {provider: openai, base_url: "http://10.0.0.5:8000/v1", model: qwen-base, batch_samples: false}
            judge: {base_url: "http://127.0.0.1:8001/v1", model: judge-7b}
          offline:
            subjects: {}
        """

    func load(_ profile: String?, profiles: String = Self.profiles, environment: GateEnvironment = TestEnvironment.base) throws -> Suite {
        let fixture = try Fixture()
        try fixture.write("suite.yaml", Self.suite)
        try fixture.write("profiles.yaml", profiles)
        let path = fixture.folder + "/suite.yaml"
        return try SuiteLoader.with(profile: profile, suitePath: path, environment: environment).load(path: path)
    }

    @Test("a profile re-points subjects and the judge without editing the suite")
    func repoints() throws {
        let suite = try load("local")
        #expect(suite.profile == "local")
        guard case .openAI(let inoculated) = suite.subject(named: "inoculated")?.provider,
              case .openAI(let control) = suite.subject(named: "control")?.provider
        else { Issue.record("subjects were not re-pointed"); return }
        #expect(inoculated.model == "lora-inoculated" && inoculated.baseURL == "http://127.0.0.1:8000/v1" && inoculated.concurrency == 2)
        #expect(control.model == "qwen-base" && control.baseURL == "http://10.0.0.5:8000/v1" && !control.batchesSamples)
        // The suite's expectations and thresholds stay; the profile says who judges.
        #expect(suite.subject(named: "inoculated")?.expectedDiagnosis == .mixed)
        let judge = try #require(suite.probe(named: "em")?.judge)
        #expect(judge.llm?.endpoint.model == "judge-7b" && judge.misalignedBelow == 40)
        // Without a profile, or with an empty one, the suite is as written.
        for name in [nil, "offline"] {
            let plain = try load(name)
            guard case .reference = plain.subject(named: "control")?.provider else { Issue.record("re-pointed without a profile"); return }
            #expect(plain.probe(named: "em")?.judge.llm == nil)
        }
    }

    @Test("profile mistakes name the profiles file, line and what is wrong", arguments: [
        ("missing", "", "no profile named 'missing'; defined profiles: local, offline"),
        ("lokal", "", "did you mean 'local'?"),
        ("local", "profiles:\n  local:\n    subjects:\n      controll: {provider: openai, base_url: \"http://x:1/v1\", model: m}\n",
         "names subject 'controll', which suite 'profiled' does not have — did you mean 'control'?"),
        ("local", "profiles:\n  local:\n    judge: {model: j, base_url: \"http://x:1/v1\", misaligned_below: 20}\n",
         "'misaligned_below' is a property of the suite's measures"),
        ("local", "profiles:\n  local:\n    subjects:\n      control: {provider: openai, base_url: \"http://x:1/v1\", model: m, expect_diagnosis: real}\n",
         "'expect_diagnosis' belongs in the suite"),
        ("local", "profiles:\n  local:\n    subject: {}\n", "unknown key 'subject'"),
    ])
    func mistakes(profile: String, text: String, message: String) throws {
        do {
            _ = try load(profile, profiles: text.isEmpty ? Self.profiles : text)
            Issue.record("loaded without error")
        } catch let error as SuiteError {
            #expect(error.description.contains("profiles.yaml:"), "\(error.description)")
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}

extension ProfileTests {
    @Test("${NAME} and ${NAME:-default} in endpoints come from the environment; an unset one is a located error")
    func environmentExpansion() throws {
        let text = """
            profiles:
              env:
                subjects:
                  "*": {provider: openai, base_url: "${IPGATE_TEST_PROFILE_URL}", model: "${IPGATE_TEST_UNSET_MODEL:-m}-{subject}"}
              unset:
                subjects:
                  "*": {provider: openai, base_url: "${IPGATE_TEST_UNSET_URL}", model: m}
            """
        let suite = try load("env", profiles: text, environment: TestEnvironment.base.setting(["IPGATE_TEST_PROFILE_URL": "http://10.1.2.3:9000/v1"]))
        guard case .openAI(let configuration) = suite.subject(named: "control")?.provider else { Issue.record("not re-pointed"); return }
        #expect(configuration.baseURL == "http://10.1.2.3:9000/v1" && configuration.model == "m-control")
        do {
            _ = try load("unset", profiles: text)
            Issue.record("loaded with an unset variable")
        } catch let error as SuiteError {
            #expect(error.description.contains("profiles.yaml:7:41:"), "\(error.description)")
            #expect(error.description.contains("environment variable IPGATE_TEST_UNSET_URL is not set"))
        }
    }

    @Test("the shipped profiles file loads for every suite under its local profile")
    func shippedProfiles() throws {
        let root = try TestEnvironment.repositoryRoot()
        for file in try root.suiteFiles() {
            let suite = try SuiteLoader.with(profile: "local", suitePath: file, environment: TestEnvironment.base).load(path: file)
            #expect(suite.subjects.allSatisfy { if case .openAI = $0.provider { true } else { false } }, "\(file)")
        }
    }
}

@Suite("LLM judge settings")
struct JudgeSettingsTests {
    @Test("minimum_mass sets the number-mass threshold of the LLM judge and enters its fingerprint")
    func minimumMass() throws {
        let fixture = try Fixture()
        func suite(_ judge: String) throws -> Suite {
            try fixture.load(Fixture.suite.replacingOccurrences(of: "samples: 4}", with: "samples: 4, judge: \(judge)}"))
        }
        let strict = try #require(try suite("{model: j, base_url: \"http://127.0.0.1:1/v1\", minimum_mass: 0.5}").probe(named: "em")?.judge.llm)
        let standard = try #require(try suite("{model: j, base_url: \"http://127.0.0.1:1/v1\"}").probe(named: "em")?.judge.llm)
        #expect(strict.minimumMass == 0.5 && standard.minimumMass == 0.25)
        #expect(LogprobJudge.fingerprint(of: strict) != LogprobJudge.fingerprint(of: standard))
        #expect(LogprobJudge.fingerprint(of: standard).hasPrefix("llm-judge-1:j:") && !LogprobJudge.fingerprint(of: standard).contains("mass"))
        for (judge, message) in [
            ("{minimum_mass: 0.5}", "'minimum_mass' applies to the LLM judge only"),
            ("{model: j, base_url: \"http://127.0.0.1:1/v1\", minimum_mass: 0}", "'minimum_mass' must be above 0 and at most 1"),
        ] {
            do {
                _ = try suite(judge)
                Issue.record("loaded \(judge)")
            } catch let error as SuiteError {
                #expect(error.description.contains("suite.yaml:") && error.description.contains(message), "\(error.description)")
            }
        }
    }
}
