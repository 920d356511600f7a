import ArgumentParser
import Foundation
import InoculationGate

/// The outputs a run can be written to besides the terminal, shared by `run` and `report`.
struct ReportOutputs: ParsableArguments {
    @Option(help: ArgumentHelp("Write JUnit XML with one test case per claim, diagnosis and baseline.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write the run as JSON (schema: Schemas/run-document-v1.schema.json).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write a Markdown summary (verdict, failed cases, claims, diagnosis, changed baselines).", valueName: "file"))
    var markdown: String?

    @Flag(help: "Append the Markdown summary to the file GITHUB_STEP_SUMMARY names.")
    var githubStepSummary = false

    /// Where CI annotations are printed for.
    enum AnnotationFormat: String, ExpressibleByArgument, CaseIterable {
        /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
        case github
    }

    @Option(help: ArgumentHelp("Print CI annotations: 'github' prints ::error/::warning workflow commands at the suite lines.", valueName: "format"))
    var annotations: AnnotationFormat?

    @Option(help: ArgumentHelp("Write a self-contained HTML report (charts, no network).", valueName: "file"))
    var html: String?

    var wantsAny: Bool { junit != nil || json != nil || markdown != nil || githubStepSummary || annotations != nil || html != nil }

    /// Writes every requested output of `document`.
    func write(_ document: RunDocument) throws {
        if let junit { try save(JUnitReport.render([document]), to: junit) }
        // JSON keeps its own escapes: controls the encoder leaves raw become `\u` escapes there.
        if let json { try save(TextSafety.jsonEscapingControls(String(decoding: try document.json(), as: UTF8.self)) + "\n", to: json, raw: true) }
        if let markdown { try save(MarkdownReport.render(document), to: markdown) }
        if let html { try save(HTMLReport.render(document), to: html) }
        if githubStepSummary {
            guard let summary = GateProject.processEnvironment["GITHUB_STEP_SUMMARY"], !summary.isEmpty else {
                throw fail("ipgate: --github-step-summary needs GITHUB_STEP_SUMMARY (set by GitHub Actions in every step)")
            }
            try append(MarkdownReport.render(document), to: summary)
        }
        switch annotations {
        case .github: print(WorkflowAnnotations.render(document), terminator: "")
        case nil: break
        }
    }

    /// Writes `text` with control characters made visible (JSON, `raw`, is escaped by its caller).
    private func save(_ text: String, to path: String, raw: Bool = false) throws {
        do {
            try (raw ? text : TextSafety.visibleLines(text)).write(toFile: path, atomically: true, encoding: .utf8)
            // On standard error: standard output may be the annotations a CI system reads.
            printError("ipgate: wrote \(path)")
        } catch {
            throw fail("ipgate: cannot write \(path): \(error.localizedDescription)")
        }
    }

    private func append(_ text: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) ?? (FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil) else {
            throw fail("ipgate: cannot write \(path)")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(TextSafety.visibleLines(text).utf8))
    }
}

/// `ipgate report`: any output of a stored run, rendered again.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a stored run as HTML, Markdown, JSON, JUnit or annotations (default: the newest finished run).",
        discussion: "With no output named, the run's Markdown summary is printed on standard output.")

    @Option(help: "The run id (default: the newest finished run).") var run: String?
    @Option(help: "Only runs of this suite.") var suite: String?
    @OptionGroup var outputs: ReportOutputs
    @OptionGroup var rootOptions: RootOptions

    func run() async throws {
        let project = try rootOptions.project()
        let document: RunDocument
        do {
            document = try project.storedDocument(run: run, suite: suite)
        } catch {
            throw reported(error)
        }
        guard outputs.wantsAny else {
            print(TextSafety.visibleLines(MarkdownReport.render(document)), terminator: "")
            return
        }
        try outputs.write(document)
    }
}
