import ArgumentParser
import Foundation

/// `ipgate init`: sets a gate up in an existing repository of any language.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Set up a gate in this repository: Suites/ with an example suite, Baselines/, a .gitignore entry and a CI workflow.",
        discussion: """
            Nothing that exists is overwritten (--force to replace the files init writes). Then: \
            `ipgate run Suites/gate.yaml --profile offline` runs the gate on simulated models; \
            point the subjects at your server and run it for real.
            """)

    @Option(help: "The repository to set up (default: the current folder).")
    var path: String = "."

    @Flag(help: "Also write Gate/, a Swift package whose tests are the gate (swift test).")
    var swift = false

    @Option(help: "The git URL of the InoculationGate tool's source, for the workflow and --swift (needed by --swift; without it the workflow says what to set).")
    var source: String?

    @Option(help: "The InoculationGate wheel (a URL or a path in the repository) for the workflow to pip install, instead of compiling the tool from --source.")
    var wheel: String?

    @Flag(help: "Replace files init writes even when they exist.")
    var force = false

    func validate() throws {
        if swift && source == nil { throw ValidationError("--swift writes a package that depends on the tool's source: give it with --source URL") }
    }

    func run() throws {
        let root = URL(fileURLWithPath: path).standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw fail("ipgate: \(path) is not a folder")
        }
        var files: [(String, String)] = [
            ("Suites/gate.yaml", GateTemplate.suite),
            ("Suites/profiles.yaml", GateTemplate.profiles),
            ("Suites/probes/python-tasks.yaml", ExampleProbes.pythonTasks + "\n"),
            ("Suites/probes/em-questions.yaml", ExampleProbes.emQuestions + "\n"),
            ("Baselines/README.md", GateTemplate.baselinesNote),
            (".github/workflows/inoculation-gate.yml", wheel.map { GateTemplate.wheelWorkflow(wheel: $0, profile: "offline") }
                ?? GateTemplate.workflow(source: source, profile: "offline")),
        ]
        if swift {
            files.append(("Gate/Package.swift", GateTemplate.package(source: source ?? "")))
            files.append(("Gate/Tests/GateTests/GateTests.swift", GateTemplate.gateTests))
        }
        var written: [String] = []
        var kept: [String] = []
        for (relative, text) in files {
            let target = root + "/" + relative
            if FileManager.default.fileExists(atPath: target), !force {
                kept.append(relative)
                continue
            }
            do {
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: target, atomically: true, encoding: .utf8)
            } catch {
                throw fail("ipgate: cannot write \(target): \(error.localizedDescription)")
            }
            written.append(relative)
        }
        if try ignoreRunsFolder(root) { written.append(".gitignore (.ipgate/)") }
        for file in written { print("wrote \(file)") }
        for file in kept { print("kept  \(file) (exists; --force replaces it)") }
        print("""

            Next:
              ipgate run Suites/gate.yaml --profile offline   # simulated models: a green gate, offline
              edit Suites/gate.yaml: your inoculation prompt, your models' names and server
              ipgate run Suites/gate.yaml                      # records missing baselines; commit Baselines/
            """ + (swift ? "\n  cd Gate && swift test                          # the same gate as Swift tests" : "")
            + (source == nil && wheel == nil && written.contains(".github/workflows/inoculation-gate.yml")
                ? "\n  the CI workflow needs the tool: set IPGATE_SOURCE in .github/workflows/inoculation-gate.yml (or rerun ipgate init --source URL --force, or --wheel URL to pip install the wheel instead of compiling)"
                : ""))
    }

    /// Adds `.ipgate/` (the local runs database and response cache) to `.gitignore`.
    private func ignoreRunsFolder(_ root: String) throws -> Bool {
        let file = root + "/.gitignore"
        let existing = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let lines = existing.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !lines.contains(where: { [".ipgate", ".ipgate/", "/.ipgate", "/.ipgate/"].contains($0) }) else { return false }
        let addition = (existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n") + "# InoculationGate's local runs database and response cache\n.ipgate/\n"
        do {
            try (existing + addition).write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            throw fail("ipgate: cannot update \(file): \(error.localizedDescription)")
        }
        return true
    }
}
