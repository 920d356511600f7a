import Foundation
import Testing
@testable import InoculationGate

/// `ipgate init` sets a gate up in a repository of any language, and the result
/// runs offline to a green gate.
@Suite("ipgate init", .serialized)
struct InitTests {
    @Test("init in an empty folder, then ipgate run there: a green gate, offline, and green again on the recorded baselines")
    func initThenRun() throws {
        let fixture = try Fixture()
        let initialised = try IPGateProcess.run(["init", "--swift", "--source", "https://example.org/InoculationGate.git"], in: fixture.folder)
        #expect(initialised.status == 0, "\(initialised.output)")
        for file in ["Suites/gate.yaml", "Suites/profiles.yaml", "Baselines/README.md", ".github/workflows/inoculation-gate.yml",
                     "Gate/Package.swift", "Gate/Tests/GateTests/GateTests.swift", ".gitignore"] {
            #expect(FileManager.default.fileExists(atPath: fixture.folder + "/" + file), "\(file) was not written")
        }
        // The embedded probe files and the gate's test file are this repository's own, byte for byte.
        let repository = try TestEnvironment.repositoryRoot().path
        for (written, original) in [
            ("Suites/probes/python-tasks.yaml", "Suites/probes/python-tasks.yaml"),
            ("Suites/probes/em-questions.yaml", "Suites/probes/em-questions.yaml"),
            ("Gate/Tests/GateTests/GateTests.swift", "Tests/GateTests/GateTests.swift"),
        ] {
            let a = try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/" + written))
            let b = try Data(contentsOf: URL(fileURLWithPath: repository + "/" + original))
            #expect(a == b, "\(written) differs from the repository's \(original)")
        }

        let first = try IPGateProcess.run(["run", "Suites/gate.yaml", "--profile", "offline", "--quiet"], in: fixture.folder)
        #expect(first.status == 0 && first.output.contains("Gate passed.") && first.output.contains("recorded 18 baselines"), "\(first.output)")
        #expect(first.output.contains("inoculated  real       real"), "the example's diagnosis: \(first.output)")
        let second = try IPGateProcess.run(["run", "Suites/gate.yaml", "--profile", "offline", "--quiet"], in: fixture.folder)
        #expect(second.status == 0 && second.output.contains("Gate passed.") && !second.output.contains("recorded"), "\(second.output)")

        // Again: nothing is overwritten, and .ipgate/ is ignored once.
        let again = try IPGateProcess.run(["init"], in: fixture.folder)
        #expect(again.status == 0 && again.output.contains("kept  Suites/gate.yaml"), "\(again.output)")
        let ignore = try String(contentsOfFile: fixture.folder + "/.gitignore", encoding: .utf8)
        #expect(ignore.components(separatedBy: "\n").filter { $0 == ".ipgate/" }.count == 1, "\(ignore)")
    }

    @Test("the workflow is valid YAML whose job installs the tool and runs the gate")
    func workflow() throws {
        let fixture = try Fixture()
        #expect(try IPGateProcess.run(["init"], in: fixture.folder).status == 0)
        let path = fixture.folder + "/.github/workflows/inoculation-gate.yml"
        let root = try YAMLReader.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        let top = try root.fields(allowed: ["name", "on", "jobs"], what: "the workflow")
        let gate = try top.require("jobs").fields(allowed: ["gate"], what: "jobs").require("gate")
        let job = try gate.fields(allowed: ["runs-on", "container", "env", "steps"], what: "the gate job")
        let runs = try job.require("steps").items(what: "steps").compactMap { step -> String? in
            try step.entries(what: "a step").first { $0.key == "run" }?.value.string(what: "run")
        }
        #expect(runs.contains { $0.contains("swift build -c release --static-swift-stdlib") }, "\(runs)")
        // No placeholder to discover by failing: without a source the first step says what to set.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("your-org") && runs.first { $0.contains("IPGATE_SOURCE") }?.contains("::error") == true, "\(runs)")
        let uses = try job.require("steps").items(what: "steps").compactMap { step -> String? in
            try step.entries(what: "a step").first { $0.key == "uses" }?.value.string(what: "uses")
        }
        #expect(uses.contains("actions/cache@v4"), "the built tool is cached per commit of its source: \(uses)")
        let given = try Fixture()
        let out = try IPGateProcess.run(["init", "--source", "https://example.org/tool.git"], in: given.folder)
        #expect(try String(contentsOfFile: given.folder + "/.github/workflows/inoculation-gate.yml", encoding: .utf8).contains("IPGATE_SOURCE: \"https://example.org/tool.git\""), "\(out.output)")
        #expect(try IPGateProcess.run(["init", "--swift"], in: try Fixture().folder).status != 0, "--swift without --source is refused")
        // With a wheel, the workflow installs it with pip and compiles nothing.
        let wheeled = try Fixture()
        #expect(try IPGateProcess.run(["init", "--wheel", "dist/inoculation_gate.whl"], in: wheeled.folder).status == 0)
        let wheelText = try String(contentsOfFile: wheeled.folder + "/.github/workflows/inoculation-gate.yml", encoding: .utf8)
        let wheelRoot = try YAMLReader.parse(wheelText, file: "wheel.yml")
        #expect(try wheelRoot.fields(allowed: ["name", "on", "jobs"], what: "the workflow")["jobs"] != nil)
        #expect(wheelText.contains("pip\" install --quiet \"$IPGATE_WHEEL\"") && !wheelText.contains("swift build"), "\(wheelText)")
        #expect(runs.contains { $0.hasPrefix("ipgate run Suites/gate.yaml") && $0.contains("--junit") && $0.contains("--annotations github") }, "\(runs)")
    }

    @Test("init refuses a path that is not a folder")
    func notAFolder() throws {
        let fixture = try Fixture()
        try fixture.write("file.txt", "x")
        let result = try IPGateProcess.run(["init", "--path", "file.txt"], in: fixture.folder)
        #expect(result.status == 2 && result.output.contains("is not a folder"), "\(result.output)")
    }
}
