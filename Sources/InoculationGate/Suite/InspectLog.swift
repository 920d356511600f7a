import Foundation

/// inspect_ai evaluation logs — `.eval` archives (a zip of `header.json` and
/// `samples/<id>_epoch_<n>.json`) and `.json` logs — turned into JSON Lines of
/// samples with the columns a recorded data set maps: `model` (from the log's
/// header), `id`, `epoch`, `sample` (epoch − 1), `input`, `output` (the completion),
/// `score.<scorer>` and `metadata.<key>`.
///
/// Python's standard library reads the archive (a zip reader of our own would be a
/// second implementation of inflate); the interpreter is the one code probes use.
enum InspectLog {
    /// Writes the samples of the log at `path` to a temporary JSON Lines file and returns its path.
    static func samples(of path: String) throws -> String {
        // Checked here, before Python opens it: a FIFO would block the converter forever.
        let checked = try RegularFile.open(path)
        try? checked.close()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ipgate-inspect-\(UUID().uuidString).jsonl").path
        let errors = output + ".err"
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errors) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", converter, path, output]
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Polled, not waitUntilExit: that spins a run loop, which a caller on the cooperative pool must not do.
        while process.isRunning { usleep(5_000) }
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: output)
            let message = (try? String(contentsOfFile: errors, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? "python3 failed"
            throw RecordedDataReader.Failure(message: "\(path) is not an inspect_ai log this version reads: \(message)")
        }
        return output
    }

    static let converter = #"""
        import json, sys, zipfile

        source, target = sys.argv[1:3]

        def text(content):
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return "".join(part.get("text", "") for part in content if isinstance(part, dict))
            return ""

        def record(sample, model):
            epoch = sample.get("epoch") or 1
            out = {"model": model, "id": str(sample.get("id")), "epoch": epoch, "sample": epoch - 1}
            given = sample.get("input")
            if isinstance(given, list):
                users = [message.get("content") for message in given if isinstance(message, dict) and message.get("role") == "user"]
                given = users[-1] if users else ""
            out["input"] = text(given)
            output = sample.get("output") or {}
            completion = output.get("completion")
            if not completion and output.get("choices"):
                completion = text((output["choices"][0].get("message") or {}).get("content"))
            out["output"] = completion or ""
            for name, score in (sample.get("scores") or {}).items():
                value = score.get("value") if isinstance(score, dict) else score
                if value is None or isinstance(value, (str, int, float, bool)):
                    out["score." + name] = value
            for key, value in (sample.get("metadata") or {}).items():
                if isinstance(value, (str, int, float, bool)):
                    out["metadata." + key] = value
            return out

        # One member, and a whole .json log, may hold this much: a crafted archive whose member
        # inflates to gigabytes is refused after reading this far, not read into memory.
        MEMBER_LIMIT = 32 << 20
        JSON_LOG_LIMIT = 256 << 20

        def member(archive, name):
            declared = archive.getinfo(name).file_size
            if declared > MEMBER_LIMIT:
                sys.exit(f"{name} in the archive inflates to {declared} bytes, more than the {MEMBER_LIMIT >> 20} MiB one member may be")
            with archive.open(name) as handle:
                data = handle.read(MEMBER_LIMIT + 1)
            if len(data) > MEMBER_LIMIT:
                sys.exit(f"{name} in the archive inflates to more than the {MEMBER_LIMIT >> 20} MiB one member may be")
            return data

        with open(target, "w", encoding="utf-8") as sink:
            if zipfile.is_zipfile(source):
                archive = zipfile.ZipFile(source)
                names = archive.namelist()
                header = "header.json" if "header.json" in names else "_journal/start.json"
                if header not in names:
                    sys.exit("the archive has neither header.json nor _journal/start.json")
                model = json.loads(member(archive, header))["eval"]["model"]
                for name in sorted(n for n in names if n.startswith("samples/") and n.endswith(".json")):
                    sink.write(json.dumps(record(json.loads(member(archive, name)), model)) + "\n")
            else:
                with open(source, encoding="utf-8") as handle:
                    raw = handle.read(JSON_LOG_LIMIT + 1)
                if len(raw) > JSON_LOG_LIMIT:
                    sys.exit(f"the JSON log is larger than {JSON_LOG_LIMIT >> 20} MiB; convert it to an .eval archive (inspect log convert --to eval), which is read one sample at a time")
                log = json.loads(raw)
                if not isinstance(log, dict) or "eval" not in log:
                    sys.exit("no 'eval' header in the JSON log")
                model = log["eval"]["model"]
                for sample in log.get("samples") or []:
                    sink.write(json.dumps(record(sample, model)) + "\n")
        """#
}
