import Foundation
import Testing
@testable import InoculationGate

/// Every `ipgate` subcommand, run as a user would — the built binary against a
/// temporary project root — and the policies that must hold at this door too.
@Suite("ipgate commands", .serialized)
struct CLITests {
    static func ipgate(_ arguments: [String], _ fixture: Fixture, _ environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try IPGateProcess.run(arguments, in: fixture.folder, environment: environment)
    }

    @Test("run, baseline diff/accept/show/history, power, cache stats/prune and suites validate work end to end")
    func everySubcommand() throws {
        let fixture = try Fixture()
        try fixture.makeRoot()
        let validate = try Self.ipgate(["suites", "validate"], fixture)
        #expect(validate.status == 0 && validate.output.contains("ok  ") && validate.output.contains("suite 'small'"), "\(validate.output)")

        let run = try Self.ipgate(["run", "Suites/suite.yaml", "--quiet"], fixture)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("recorded 12 baselines (IPGATE_RECORD=missing)") && run.output.contains("Gate passed."), "\(run.output)")
        // Blind spots are shown from the first run: what the gate will see once the baseline exists.
        #expect(run.output.contains("once accepted, the gate will see a worsening of") && run.output.contains("measures are underpowered"), "\(run.output)")

        let show = try Self.ipgate(["baseline", "show"], fixture)
        #expect(show.status == 0 && show.output.contains("small › inoculated › none › capability"), "\(show.output)")
        let diff = try Self.ipgate(["baseline", "diff"], fixture)
        #expect(diff.status == 0 && diff.output.contains("none of the 12 baselines would change"), "\(diff.output)")
        let allRows = try Self.ipgate(["baseline", "diff", "--all-rows"], fixture)
        #expect(allRows.status == 0 && allRows.output.contains("small › control › none › misalignment"), "\(allRows.output)")
        let accept = try Self.ipgate(["baseline", "accept"], fixture)
        #expect(accept.status == 0 && accept.output.contains("nothing to accept: all 12 measures of run"), "\(accept.output)")
        let history = try Self.ipgate(["baseline", "history", "--suite", "small"], fixture)
        #expect(history.status == 0 && history.output.contains("missing"), "\(history.output)")

        let power = try Self.ipgate(["power", "Suites/suite.yaml"], fixture)
        #expect(power.status == 0 && power.output.contains("(stored; nothing was asked)") && power.output.contains("Baseline comparisons"), "\(power.output)")

        let stats = try Self.ipgate(["cache", "stats"], fixture)
        #expect(stats.status == 0 && stats.output.contains("provider"), "\(stats.output)")
        let prune = try Self.ipgate(["cache", "prune", "--older-than", "30"], fixture)
        #expect(prune.status == 0 && prune.output.contains("deleted 0 cached answers"), "\(prune.output)")
        // Deleting everything is never the silent default.
        let unfiltered = try Self.ipgate(["cache", "prune"], fixture)
        #expect(unfiltered.status == 2 && unfiltered.output.contains("pass --all"), "\(unfiltered.output)")
        let everything = try Self.ipgate(["cache", "prune", "--all"], fixture)
        #expect(everything.status == 0 && everything.output.contains("deleted"), "\(everything.output)")

        let invalid = try Self.ipgate(["suites", "validate", "Suites/probes/tasks.yaml"], fixture)
        #expect(invalid.status == 1 && invalid.output.contains("tasks.yaml:1:1: error:"), "\(invalid.output)")
    }

    @Test("after one deliberate change, accept rewrites only the changed rows of baselines.txt, and the failure names the changed field")
    func acceptOnlyChanged() throws {
        let fixture = try Fixture()
        try fixture.makeRoot()
        #expect(try Self.ipgate(["run", "Suites/suite.yaml", "--quiet"], fixture).status == 0)
        let dump = fixture.folder + "/Baselines/baselines.txt"
        let before = try Self.entries(String(contentsOfFile: dump, encoding: .utf8))
        // One deliberate change: the control subject's simulated behaviour.
        let suite = fixture.folder + "/Suites/suite.yaml"
        let text = try String(contentsOfFile: suite, encoding: .utf8)
        try text.replacingOccurrences(of: "control: {provider: reference, behaviour: no-inoculation", with: "control: {provider: reference, behaviour: base")
            .write(toFile: suite, atomically: true, encoding: .utf8)
        let failed = try Self.ipgate(["run", "Suites/suite.yaml", "--quiet", "--annotations", "github"], fixture)
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.contains("the subject changed: reference organism no-inoculation") && failed.output.contains("→ reference organism base"), "\(failed.output)")
        // A changed definition is not a measured change: no flipped items to read, and the
        // annotation points at the subject's line, where the change was made.
        #expect(failed.output.contains("this is not a measured change") && !failed.output.contains("read the flipped items"), "\(failed.output)")
        let subjectLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("control: {provider") }) + 1
        #expect(failed.output.contains("::error file=Suites/suite.yaml,line=\(subjectLine),"), "\(failed.output)")
        // The diff says each changed field once, below the table; rows point at it.
        let diff = try Self.ipgate(["baseline", "diff"], fixture)
        #expect(diff.output.components(separatedBy: "the subject changed").count - 1 == 1 && diff.output.contains("fingerprint changed [1]"), "\(diff.output)")
        #expect(diff.output.split(separator: "\n").allSatisfy { $0.count < 200 }, "\(diff.output)")
        let accept = try Self.ipgate(["baseline", "accept"], fixture)
        #expect(accept.status == 0 && accept.output.contains("accepted 6 changed measures") && accept.output.contains("6 unchanged left as they were"), "\(accept.output)")
        let after = try Self.entries(String(contentsOfFile: dump, encoding: .utf8))
        #expect(before.count == 12 && after.count == 12)
        for (key, entry) in before {
            if key.contains("› control ›") {
                #expect(after[key] != entry, "\(key) was not rewritten")
            } else {
                #expect(after[key] == entry, "\(key) changed though its measure did not")
            }
        }
    }

    @Test("ipgate export writes every stored sample and measure of a run as CSV and JSON Lines, answers as their SHA-256")
    func export() throws {
        let fixture = try Fixture()
        try fixture.makeRoot()
        #expect(try Self.ipgate(["run", "Suites/suite.yaml", "--quiet"], fixture).status == 0)
        let out = try Self.ipgate(["export", "--samples", "s.csv", "--measures", "m.jsonl", "--answers"], fixture)
        #expect(out.status == 0 && out.output.contains("wrote s.csv") && out.output.contains("wrote m.jsonl"), "\(out.output)")
        let project = try fixture.project()
        let document = try project.storedDocument(run: nil)
        let stored = try project.runs().sampleCount(runID: document.run.id)
        var reader = try CSVReader(path: fixture.folder + "/s.csv")
        let header = try #require(reader.next() as CSVReader.Record?).fields
        #expect(header == RunExport.sampleColumns + ["answer"])
        var rows = 0
        while let row = reader.next() {
            rows += 1
            let record = Dictionary(uniqueKeysWithValues: zip(header, row.fields))
            #expect(record["run"] == document.run.id && record["answer_sha256"] == SHA256.hex(record["answer"] ?? ""), "\(record)")
        }
        #expect(rows == stored && rows > 0)
        let measures = try String(contentsOfFile: fixture.folder + "/m.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(measures.count == document.measures.count)
        let first = try JSONSerialization.jsonObject(with: Data(measures[0].utf8)) as? [String: Any]
        #expect((first?["value"] as? Double) == document.measures[0].value && (first?["metric"] as? String) == document.measures[0].metric.rawValue)
        #expect(try Self.ipgate(["export"], fixture).status != 0, "no table named is a usage error")
    }

    /// The dump's entries by their first line's key (`suite › subject › condition › measure`).
    static func entries(_ dump: String) -> [String: String] {
        var entries: [String: String] = [:]
        var key: String?
        for line in dump.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") {
                key = String(line[..<colon])
                entries[key!] = String(line) + "\n"
            } else if let key, line.hasPrefix(" ") {
                entries[key, default: ""] += line + "\n"
            }
        }
        return entries
    }

    @Test("with CI set: accept is refused and Baselines/ stays byte-identical; a missing baseline, an empty Baselines/ and IPGATE_RECORD=all fail the run")
    func ciPolicy() throws {
        let fixture = try Fixture()
        try fixture.makeRoot()
        // Empty Baselines/ on CI: the run fails and creates no database.
        let empty = try Self.ipgate(["run", "Suites/suite.yaml", "--quiet"], fixture, ["CI": "true"])
        #expect(empty.status == 1, "\(empty.output)")
        #expect(empty.output.contains("records none ✗") && empty.output.contains("GATE FAILED"), "\(empty.output)")
        #expect(empty.output.contains("next: accept this run with `ipgate baseline accept --run"), "a missing baseline is recorded, not accepted over a regression: \(empty.output)")
        #expect(!FileManager.default.fileExists(atPath: fixture.folder + "/Baselines/baselines.sqlite"))

        // Recorded locally, then one baseline missing on CI.
        #expect(try Self.ipgate(["run", "Suites/suite.yaml", "--quiet"], fixture).status == 0)
        let store = try BaselineStore(path: fixture.folder + "/Baselines/baselines.sqlite")
        let accepted = try store.accepted(suite: "small")
        #expect(accepted.count == 12)
        let extra = Fixture.suite.replacingOccurrences(of: "  misalignment: {probe: em, metric: misaligned_rate, better: lower}", with: "  misalignment: {probe: em, metric: misaligned_rate, better: lower}\n  coherence: {probe: em, metric: coherent_rate, better: higher}")
        try fixture.write("Suites/suite.yaml", Fixture.inRoot(extra))
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/Baselines/baselines.sqlite"))
        let dump = try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/Baselines/baselines.txt"))
        let missing = try Self.ipgate(["run", "Suites/suite.yaml", "--quiet"], fixture, ["CI": "true"])
        #expect(missing.status == 1 && missing.output.contains("missing ✗"), "\(missing.output)")

        let all = try Self.ipgate(["run", "Suites/suite.yaml", "--quiet"], fixture, ["CI": "true", "IPGATE_RECORD": "all"])
        #expect(all.status == 2 && all.output.contains("refusing IPGATE_RECORD=all on CI"), "\(all.output)")
        let bogus = try Self.ipgate(["run", "Suites/suite.yaml", "--quiet"], fixture, ["IPGATE_RECORD": "bogus"])
        #expect(bogus.status == 2 && bogus.output.contains("IPGATE_RECORD=bogus is not a record mode"), "\(bogus.output)")

        let accept = try Self.ipgate(["baseline", "accept"], fixture, ["CI": "true"])
        #expect(accept.status == 2 && accept.output.contains("refusing to accept baselines on CI"), "\(accept.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/Baselines/baselines.sqlite")) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/Baselines/baselines.txt")) == dump)
    }

    @Test("IPGATE_ROOT at a folder without Suites/ is an error that creates nothing")
    func rootWithoutSuites() throws {
        let fixture = try Fixture()
        let target = fixture.folder + "/not-a-root"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        for arguments in [["run", "x.yaml"], ["baseline", "show"], ["cache", "stats"], ["power", "x.yaml"], ["suites", "validate"]] {
            let result = try Self.ipgate(arguments, fixture, ["IPGATE_ROOT": target])
            #expect(result.status == 2 && result.output.contains("has no Suites/ folder (nothing was created)"), "\(arguments): \(result.output)")
        }
        #expect(ProjectTests.tree(target).isEmpty)
        let nowhere = try Self.ipgate(["baseline", "show"], fixture, ["IPGATE_ROOT": fixture.folder + "/nowhere/x"])
        #expect(nowhere.status == 2)
        #expect(!FileManager.default.fileExists(atPath: fixture.folder + "/nowhere"))
    }

    @Test("after ipgate run against a server, ipgate power asks it nothing and prints the same plan as generating")
    func powerAfterRun() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let (suite, questions) = Fixture.threeHundredSixty(baseURL: server.baseURL("ok"), models: ("tiny-a", "tiny-b"), options: "")
        var plans: [String] = []
        for name in ["ran-first", "planned-first"] {
            let fixture = try Fixture()
            try fixture.makeRoot(suite: suite)
            try fixture.write("Suites/probes/questions.yaml", questions)
            if name == "ran-first" {
                let run = try Self.ipgate(["run", "Suites/suite.yaml", "--quiet"], fixture)
                #expect(run.status == 0, "\(run.output)")
                let asked = try server.stats().requests
                let power = try Self.ipgate(["power", "Suites/suite.yaml", "--quiet"], fixture)
                #expect(power.status == 0 && power.output.contains("(stored; nothing was asked)"), "\(power.output)")
                #expect(try server.stats().requests == asked, "ipgate power asked the server again")
                plans.append(Self.plan(power.output))
            } else {
                let power = try Self.ipgate(["power", "Suites/suite.yaml", "--quiet"], fixture)
                #expect(power.status == 0 && power.output.contains("running it first"), "\(power.output)")
                plans.append(Self.plan(power.output))
            }
        }
        #expect(plans[0] == plans[1] && plans[0].contains("live › a › none › coherence"))
    }

    /// The power report without the line saying where it came from.
    static func plan(_ output: String) -> String {
        output.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("Power —") }.joined(separator: "\n")
    }
}
