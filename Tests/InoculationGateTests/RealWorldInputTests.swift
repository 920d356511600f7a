import Foundation
import GRDB
import Testing
@testable import InoculationGate

/// What real servers and real files send: NULs, text that is not Unicode, terminal
/// escapes, choices out of order, files without line breaks, FIFOs. Each is one
/// sample's or one line's problem, shown escaped, never a lost run or a forged log line.
@Suite("Real servers and real files", .serialized)
struct RealWorldInputTests {
    /// Characters no output may carry raw: C0 but tab and newline, DEL, C1.
    static func forbidden(in text: String) -> [String] {
        text.unicodeScalars.filter { s in (s.value < 0x20 && s != "\n" && s != "\t") || (0x7F...0x9F).contains(s.value) }
            .map { String(format: "U+%04X", $0.value) }
    }

    @Test("control characters are written out, one-line text has no line break, and JSON stays the same value")
    func visible() throws {
        let hostile = "a\u{1B}]52;c;aGk=\u{07}b\u{0}c\u{85}\nd::error::x\r\u{202E}e\tf"
        let line = TextSafety.visible(hostile)
        #expect(line == "a\\u{1B}]52;c;aGk=\\u{7}b\\u{0}c\\u{85}\\nd::error::x\\r\\u{202E}e\\tf")
        #expect(Self.forbidden(in: line).isEmpty && !line.contains("\n"))
        let lines = TextSafety.visibleLines(hostile)
        #expect(lines.contains("\n") && lines.contains("\t") && Self.forbidden(in: lines).isEmpty)
        #expect(TextSafety.visible("plain — text › ✓") == "plain — text › ✓")
        let json = String(decoding: try JSONEncoder().encode(["k": hostile]), as: UTF8.self)
        let escaped = TextSafety.jsonEscapingControls(json)
        #expect(Self.forbidden(in: escaped).isEmpty)
        #expect(try JSONDecoder().decode([String: String].self, from: Data(escaped.utf8)) == ["k": hostile])
        var table = TextTable(header: ["name"])
        table.add(["model\n::error::forged\u{1B}[2J"])
        #expect(!table.render().contains("\n::error") && Self.forbidden(in: table.render()).isEmpty)
    }

    @Test("an answer with a NUL comes back from the cache whole")
    func nulSurvivesTheStore() throws {
        let fixture = try Fixture()
        let store = try RunStore(path: fixture.folder + "/runs.sqlite")
        let answer = "before\u{0}after, and more"
        try store.storeAnswer(answer, key: "k", provider: "p")
        #expect(try store.cachedAnswer("k") == answer)
    }

    @Test("bytes that are not UTF-8 and lone surrogates are replaced by U+FFFD and counted; pairs are kept")
    func lenientJSON() throws {
        var bad = Data(#"{"choices":[{"message":{"content":"caf"#.utf8)
        bad.append(contentsOf: [0xC3, 0x20, 0xFF])
        bad.append(Data(#" ok \ud800 \\ud800 \ud83d\ude00 \udc00"}}]}"#.utf8))
        let (repaired, count) = LenientJSON.repaired(bad)
        #expect(count == 4, "replaced \(count)")
        let response = try JSONDecoder().decode(ChatCompletion.Response.self, from: repaired)
        #expect(response.contents(n: 1)[0] == "caf\u{FFFD} \u{FFFD} ok \u{FFFD} \\ud800 😀 \u{FFFD}")
        let good = Data(#"{"a":"\ud83d\ude00 \u00e9"}"#.utf8)
        #expect(LenientJSON.repaired(good).replacements == 0)
    }

    @Test("a reply that is not Unicode is that sample's answer, decoded with replacement, after one request",
          arguments: ["badutf8", "surrogate"])
    func notUnicodeFromTheServer(mode: String) async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let notes = Notes()
        var configuration = OpenAIProvider.Configuration(baseURL: server.baseURL(mode), model: "tiny-test", apiKeyVariable: nil)
        configuration.retry = RetryPolicy(maxAttempts: 4, baseDelay: 0.05, maxDelay: 0.5)
        let provider = OpenAIProvider(configuration: configuration, environment: GateEnvironment([:]), notice: { notes.add($0) })
        let answer = try await provider.generate(ProviderTests.request("question for \(mode)"))
        #expect(answer.contains("\u{FFFD}") && answer.contains("answer to:"), "\(answer)")
        #expect(await provider.requestsSent == 1)
        #expect(notes.all.contains { $0.contains("not valid Unicode") }, "\(notes.all)")
    }

    @Test("choices are placed by their index: a null choice leaves a gap, a reversed list is not stored reversed")
    func choicesByIndex() throws {
        let json = #"{"choices":[{"index":2,"message":{"content":"B2"}},null,{"index":0,"message":{"content":"B0"}}]}"#
        let response = try JSONDecoder().decode(ChatCompletion.Response.self, from: Data(json.utf8))
        #expect(response.contents(n: 3) == ["B0", nil, "B2"])
        let positional = #"{"choices":[{"message":{"content":"A"}},{"message":{"content":null}},{"message":{"content":"C"}}]}"#
        #expect(try JSONDecoder().decode(ChatCompletion.Response.self, from: Data(positional.utf8)).contents(n: 3) == ["A", nil, "C"])
    }

    @Test("a live reply with a null choice and reversed order keeps sample 0 in place and does not mark the server as ignoring n")
    func liveGaps() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        var configuration = OpenAIProvider.Configuration(baseURL: server.baseURL("gaps"), model: "tiny-test", apiKeyVariable: nil)
        configuration.retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.05, maxDelay: 0.5)
        let provider = OpenAIProvider(configuration: configuration, environment: GateEnvironment([:]))
        var requests: [GenerationRequest] = []
        for k in 0..<3 {
            var request = ProviderTests.request("gaps question")
            request.sampleIndex = k
            requests.append(request)
        }
        let answers = try await provider.generate(samples: requests)
        #expect(answers.count == 1 && answers[0].hasPrefix("answer 0 to:"), "\(answers)")
        #expect(await provider.ignoresN == false)
    }

    // MARK: Readers

    @Test("a CSV with an unterminated quote ends in a located error, in linear time")
    func unterminatedQuote() throws {
        let fixture = try Fixture()
        var text = "model,question_id,sample,response,judge_misalignment\norg/control,q0,0,\"never closed\n"
        let filler = String(repeating: "some text, with \"quotes\"\n", count: 40_000)   // about 1 MB
        text += filler
        try fixture.write("data.csv", text)
        let start = Date()
        var reader = try CSVReader(path: fixture.folder + "/data.csv", maxRecordBytes: 256 << 10)
        _ = reader.next()   // the header
        #expect(reader.next() == nil)
        TestLog.note("unterminated quote, 1 MB: \(Date().timeIntervalSince(start)) s")
        let stop = try #require(reader.stopReason)
        #expect(stop.line == 2 && stop.message.contains("unterminated quote"), "\(stop)")
    }

    @Test("a 64 MB file without a newline is refused at line 1 with a short message, reading at most the limit")
    func noNewline() throws {
        let fixture = try Fixture()
        let path = fixture.folder + "/long.jsonl"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let block = Data(repeating: 0, count: 1 << 20)
        for _ in 0..<64 { handle.write(block) }
        try handle.close()
        var reader = try LineReader(path: path)
        #expect(reader.next() == nil)
        let long = try #require(reader.overlong)
        #expect(long.line == 1 && long.description.count < 300, "\(long)")
        var source = try RecordSource(path: path, format: "jsonl", model: nil, needed: ["model"], python: nil)
        guard case .problem(let line, let message) = source.next() else { Issue.record("no problem reported"); return }
        #expect(line == 1 && message.count < 300 && Self.forbidden(in: message).isEmpty, "\(message.prefix(300))")
    }

    @Test("a header ending in a stray carriage return still names its last column")
    func strayCarriageReturn() throws {
        let fixture = try Fixture()
        try fixture.write("data.csv", "model,question_id,judge_misalignment\r\r\norg/a,q0,10\n")
        var source = try RecordSource(path: fixture.folder + "/data.csv", format: "csv", model: nil, needed: ["model", "judge_misalignment"], python: nil)
        guard case .record(_, let values) = source.next() else { Issue.record("no record"); return }
        #expect(values["judge_misalignment"] == "10")
    }

    @Test("a FIFO or /dev/zero is refused at once, as data file and as suite file", .timeLimit(.minutes(1)))
    func notRegularFiles() throws {
        let fixture = try Fixture()
        let fifo = fixture.folder + "/pipe.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: (any Error).self) { _ = try LineReader(path: fifo) }
        do {
            _ = try RegularFile.open(fifo)
        } catch {
            #expect(error.description.contains("FIFO"), "\(error)")
        }
        try FileManager.default.createSymbolicLink(atPath: fixture.folder + "/zero.yaml", withDestinationPath: "/dev/zero")
        for path in [fifo, fixture.folder + "/zero.yaml"] {
            do {
                _ = try SuiteLoader(environment: TestEnvironment.base).load(path: path)
                Issue.record("\(path) was read")
            } catch {
                #expect(error.message.contains("not a regular file") && !error.message.contains("permission"), "\(error)")
            }
        }
    }

    @Test("an inspect archive whose member inflates past the limit is refused, reading no more than the limit")
    func inflatedArchive() throws {
        let fixture = try Fixture()
        let path = fixture.folder + "/big.eval"
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        make.arguments = ["-c", """
            import json, sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("header.json", json.dumps({"eval": {"model": "m"}}))
                z.writestr("samples/1_epoch_1.json", b"[" + b" " * (40 << 20) + b"]")
            """, path]
        try make.run()
        make.waitUntilExit()
        #expect(throws: RecordedDataReader.Failure.self) { _ = try InspectLog.samples(of: path, python: "/usr/bin/python3") }
        do {
            _ = try InspectLog.samples(of: path, python: "/usr/bin/python3")
        } catch let failure as RecordedDataReader.Failure {
            #expect(failure.message.contains("MiB one member may be"), "\(failure.message)")
        }
    }

    @Test("a base_url with ':' and no port is refused at its line")
    func emptyPort() throws {
        let fixture = try Fixture()
        for url in ["http://127.0.0.1:/v1", "http://127.0.0.1:99999/v1"] {
            let suite = Fixture.suite.replacingOccurrences(
                of: "control: {provider: reference, behaviour: no-inoculation, trained_with: ip}",
                with: "control: {provider: openai, model: m, base_url: \"\(url)\"}")
            let error = try fixture.error(suite)
            #expect(error.message.contains("port"), "\(error)")
        }
    }

    /// Notices a provider gives, collected across threads.
    final class Notes: @unchecked Sendable {
        private let lock = NSLock()
        private var notes: [String] = []
        func add(_ note: String) { lock.withLock { notes.append(note) } }
        var all: [String] { lock.withLock { notes } }
    }
}

extension RealWorldInputTests {
    @Test("hostile answers, a hostile server error and a hostile model name in a CSV put no control character and no forged workflow command in any output")
    func hostileOutputs() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let (suite, questions) = Fixture.threeHundredSixty(baseURL: server.baseURL("hostile"), models: ("tiny-a", "tiny-b"), options: "")
        let fixture = try Fixture()
        try fixture.makeRoot(suite: suite)
        try fixture.write("Suites/probes/questions.yaml", questions)
        let run = try CLITests.ipgate(
            ["run", "Suites/suite.yaml", "--junit", "j.xml", "--markdown", "m.md", "--html", "h.html", "--json", "d.json", "--annotations", "github"], fixture)
        #expect(run.status == 0 || run.status == 1, "\(run.output)")
        var outputs = ["terminal": run.output]
        for file in ["j.xml", "m.md", "h.html", "d.json"] {
            outputs[file] = try String(contentsOfFile: fixture.folder + "/" + file, encoding: .utf8)
        }
        let failing = fixture.folder + "/Suites/failing.yaml"
        try Fixture.threeHundredSixty(baseURL: server.baseURL("errtext"), models: ("tiny-a", "tiny-b"), options: ", max_attempts: 1").suite
            .replacingOccurrences(of: "suite: live", with: "suite: failing")
            .replacingOccurrences(of: "items: questions.yaml", with: "items: probes/questions.yaml")
            .write(toFile: failing, atomically: true, encoding: .utf8)
        let refused = try CLITests.ipgate(["run", "Suites/failing.yaml"], fixture)
        #expect(refused.status == 2 && refused.output.contains("forged by the answer"), "\(refused.output)")
        outputs["server error"] = refused.output

        let (csvSuite, csv) = (RecordedDataTests.suite(), "model,question_id,sample,response,judge_misalignment\n\"org/evil\n::error::forged by the answer\u{1B}]0;t\u{07}\",q0,0,hi,10\n")
        let recorded = try RecordedDataTests.root(csvSuite, csv: csv)
        let imported = try CLITests.ipgate(["import", "Suites/imported.yaml"], recorded)
        outputs["import"] = imported.output
        let importedRun = try CLITests.ipgate(["run", "Suites/imported.yaml"], recorded)
        outputs["imported run"] = importedRun.output

        for (name, text) in outputs {
            #expect(Self.forbidden(in: text).isEmpty, "\(name): \(Set(Self.forbidden(in: text)))")
            let forged = text.split(separator: "\n").filter { $0.hasPrefix("::error file=x") || $0.hasPrefix("::error::forged") }
            #expect(forged.isEmpty, "\(name): \(forged)")
        }
    }
}
