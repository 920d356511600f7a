import ArgumentParser
import Foundation
import InoculationGate

/// `ipgate labels`: people's labels for a judge, out of a stored run and back in.
struct LabelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Label a random sample of a run's judged answers, and store the labels the judge is measured against.",
        subcommands: [Export.self, Import.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a seeded random sample of a stored run's judged answers (N per slot) as CSV for people to label.",
            discussion: """
                The file shows an opaque id, the question and the answer, in shuffled order — no subject, condition or \
                judge score — with empty misaligned, incoherent and notes columns: write yes or no in the first two \
                (misaligned may stay empty for an incoherent answer). Where each answer came from is in the key file \
                written beside it (NAME.key.csv); keep both, then run `ipgate labels import NAME.csv`.
                """)

        @Option(help: "The run id (default: the newest finished run).") var run: String?
        @Option(help: "Only runs of this suite.") var suite: String?
        @Option(name: .customLong("per-slot"), help: "Answers to label per subject × condition × judged probe set.") var perSlot: Int
        @Option(help: "Only this judged probe set (default: all).") var probe: [String] = []
        @Option(help: "Seed of the random choice.") var seed: UInt64 = 1
        @Option(name: .shortAndLong, help: "The CSV file to write (default: to-label-RUN.csv here; its key goes beside it).") var output: String?
        @OptionGroup var rootOptions: RootOptions
        @OptionGroup var profileOptions: ProfileOptions

        func validate() throws {
            guard perSlot > 0 else { throw ValidationError("--per-slot must be at least 1") }
        }

        func run() async throws {
            let project = try rootOptions.project()
            do {
                let document = try project.storedDocument(run: run, suite: suite)
                let file = document.run.suiteFile.hasPrefix("/") ? document.run.suiteFile : project.root.path + "/" + document.run.suiteFile
                let loaded = try loadSuite(file, in: project, profile: profileOptions)
                let judged = loaded.probes.filter { $0.kind == .judged }.map(\.name)
                guard !judged.isEmpty else { throw fail("ipgate: suite '\(loaded.name)' has no judged probe set: nothing to label") }
                if let unknown = probe.first(where: { !judged.contains($0) }) {
                    throw fail("ipgate: '\(unknown)' is not a judged probe set of suite '\(loaded.name)' (judged: \(judged.joined(separator: ", ")))")
                }
                let labels = try LabelExport.sample(
                    store: try project.runs(), runID: document.run.id, suite: loaded, perSlot: perSlot, seed: seed, probes: probe.isEmpty ? nil : Set(probe))
                guard !labels.isEmpty else { throw fail("ipgate: run \(document.run.id) has no non-empty judged answer to label") }
                let output = self.output ?? "to-label-\(document.run.id).csv"
                let written = try LabelExport.write(labels, to: output)
                printError("ipgate: wrote \(output) (\(written.labels) answers of run \(document.run.id), up to \(perSlot) from each of \(written.slots) slots) and its key \(written.keyPath)")
                printError("  label: misaligned yes/no, incoherent yes/no (notes optional); then: ipgate labels import \(output)")
            } catch {
                throw reported(error)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a labelled CSV and store it beside the suites (Suites/labels/NAME.csv), reviewed in diffs like probe data.",
            discussion: """
                With the key `ipgate labels export` wrote beside the file, the labels are stored as a random sample of \
                that run (the gate can then use prediction-powered inference where a slot has enough of them). A file \
                without a key — labels made elsewhere, with at least answer, misaligned and incoherent columns, and \
                question where the judge needs it — is stored as not sampled from any run. Then name it in the suite: \
                judge: {labels: labels/NAME.csv}.
                """)

        @Argument(help: "The labelled CSV file.") var file: String
        @Option(help: "The key file (default: FILE's .key.csv beside it, when present).") var key: String?
        @Flag(help: "Store without the key even when one is beside the file (labels not sampled from a run).") var noKey = false
        @Option(name: .shortAndLong, help: "Where to store the label set (default: Suites/labels/ and the file's name).") var output: String?
        @OptionGroup var rootOptions: RootOptions

        func run() async throws {
            let project = try rootOptions.project()
            do {
                let besides = LabelExport.keyPath(for: file)
                let keyPath = noKey ? nil : key ?? (FileManager.default.fileExists(atPath: besides) ? besides : nil)
                let set = try LabelExport.importLabelled(file, keyPath: keyPath)
                let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                let destination = output ?? project.root.suites + "/labels/\(name).csv"
                try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(set.csv.utf8).write(to: URL(fileURLWithPath: destination), options: .atomic)
                let misaligned = set.labels.filter(\.isMisaligned).count
                let incoherent = set.labels.filter(\.incoherent).count
                let source = set.sampledRun.map { "sampled from run \($0)" } ?? "not sampled from a run"
                print("ipgate: stored \(set.labels.count) labels (\(misaligned) misaligned, \(incoherent) incoherent; \(source)) in \(destination)")
                let relative = destination.hasPrefix(project.root.suites + "/") ? String(destination.dropFirst(project.root.suites.count + 1)) : destination
                print("  use them: judge: {labels: \(relative)}  (and min_kappa: 0.6 to fail a judge that disagrees, corrected: true on a measure to correct its rate)")
            } catch {
                throw reported(error)
            }
        }
    }
}
