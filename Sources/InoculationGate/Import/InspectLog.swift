import Foundation

/// inspect_ai evaluation logs — `.eval` archives (a zip of `header.json` and
/// `samples/<id>_epoch_<n>.json`) and `.json` logs — turned into JSON Lines of
/// samples with the columns a recorded data set maps: `model` (from the log's
/// header), `id`, `epoch`, `sample` (epoch − 1), `input`, `output` (the completion),
/// `score.<scorer>` and `metadata.<key>`.
///
/// Python's standard library reads the archive (a zip reader of our own would be a
/// second implementation of inflate); members compressed with zstd (zip method 93,
/// what current inspect_ai writes) are decoded with the `zstandard` package, Python
/// 3.14's `compression.zstd`, or the `zstd` program, whichever is there.
enum InspectLog {
    /// Writes the samples of the log at `path` to a temporary JSON Lines file and returns its
    /// path, converting with `python` (the interpreter code probes use: `IPGATE_PYTHON`, else
    /// the first `python3` on the environment's `PATH`).
    ///
    /// When `python` can import inspect_ai, inspect_ai's own reader reads the log (it knows
    /// every version and compression it writes); `builtinReader` skips it, for tests.
    static func samples(of path: String, python: String, builtinReader: Bool = false) throws -> String {
        // Checked here, before Python opens it: a FIFO would block the converter forever.
        let checked = try RegularFile.open(path)
        try? checked.close()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ipgate-inspect-\(UUID().uuidString).jsonl").path
        let result: HelperProcess.Output
        do {
            result = try HelperProcess.runWaiting(python, ["-c", converter, path, output, builtinReader ? "builtin" : "any"])
        } catch {
            throw RecordedDataReader.Failure(message: "cannot start \(python) to read the inspect_ai log \(path): \(error)")
        }
        guard result.succeeded else {
            try? FileManager.default.removeItem(atPath: output)
            let message = result.stderr.split(separator: "\n").last.map(String.init) ?? "\(python) failed"
            throw RecordedDataReader.Failure(message: "\(path) is not an inspect_ai log this version reads: \(message)")
        }
        return output
    }

    /// `IPGATE_PYTHON`, else the first `python3` on `PATH` (nil when there is none).
    static func interpreter(_ environment: GateEnvironment) -> String? {
        if let explicit = environment.python { return explicit }
        return environment.path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let converter = #"""
        import json, math, os, struct, subprocess, sys, tempfile, zipfile

        source, target, reader = sys.argv[1:4]

        def text(content):
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return "".join(part.get("text", "") for part in content if isinstance(part, dict))
            return ""

        def generation(*configs):
            # The settings that made the answers, as the log records them: the model's own
            # (eval.model_generate_config), overridden by the run's (plan.config).
            config = {}
            for layer in configs:
                config.update({key: value for key, value in (layer or {}).items() if value is not None})
            parts = [f"{name} {config[key]}" for key, name in (("temperature", "temperature"), ("max_tokens", "max_tokens"), ("top_p", "top_p"))
                     if config.get(key) is not None]
            return ", ".join(parts) if parts else None

        GENERATION = None

        def record(sample, model):
            epoch = sample.get("epoch") or 1
            out = {"model": model, "id": str(sample.get("id")), "epoch": epoch, "sample": epoch - 1}
            if GENERATION:
                out["generation"] = GENERATION
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
                if isinstance(value, float) and not math.isfinite(value):
                    value = None  # a scorer that could not score (inspect writes NaN): no score, and valid JSON
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

        ZSTD = 93  # the zip method current inspect_ai writes .eval members with

        def raw(info):
            # The member's compressed bytes, found through its local header.
            with open(source, "rb") as handle:
                handle.seek(info.header_offset)
                local = handle.read(30)
                if len(local) < 30 or local[:4] != b"PK\x03\x04":
                    sys.exit(f"{info.filename}: the archive's local header is damaged")
                name_length, extra_length = struct.unpack("<HH", local[26:30])
                handle.seek(info.header_offset + 30 + name_length + extra_length)
                data = handle.read(info.compress_size)
            if len(data) != info.compress_size:
                sys.exit(f"{info.filename}: the archive ends inside this member")
            return data

        def unzstd(data, name):
            # Bounded to MEMBER_LIMIT + 1 bytes whichever decoder there is: the zstandard
            # package (inspect_ai's own), Python 3.14's compression.zstd, or the zstd program.
            try:
                import io, zstandard
                return zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read(MEMBER_LIMIT + 1)
            except ImportError:
                pass
            try:
                from compression import zstd
                return zstd.ZstdDecompressor().decompress(data, max_length=MEMBER_LIMIT + 1)
            except ImportError:
                pass
            with tempfile.TemporaryFile() as compressed:
                compressed.write(data)
                compressed.seek(0)
                try:
                    program = subprocess.Popen(["zstd", "-dcq"], stdin=compressed, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                except FileNotFoundError:
                    sys.exit(f"{name} is zstd-compressed and nothing here decodes zstd: pip install zstandard (or install the zstd program)")
                out = program.stdout.read(MEMBER_LIMIT + 1)
                program.kill()
                program.wait()
                if not out and program.returncode not in (0, -9):
                    sys.exit(f"{name}: zstd could not decode it: {program.stderr.read().decode(errors='replace').strip()}")
                return out

        def member(archive, name):
            info = archive.getinfo(name)
            declared = info.file_size
            if declared > MEMBER_LIMIT:
                sys.exit(f"{name} in the archive inflates to {declared} bytes, more than the {MEMBER_LIMIT >> 20} MiB one member may be")
            if info.compress_type == ZSTD:
                data = unzstd(raw(info), name)
            else:
                with archive.open(name) as handle:
                    data = handle.read(MEMBER_LIMIT + 1)
            if len(data) > MEMBER_LIMIT:
                sys.exit(f"{name} in the archive inflates to more than the {MEMBER_LIMIT >> 20} MiB one member may be")
            return data

        def with_inspect():
            # inspect_ai's own reader, when this interpreter has it: one sample at a time.
            try:
                from inspect_ai.log import read_eval_log, read_eval_log_samples
            except Exception:
                return False
            global GENERATION
            header = read_eval_log(source, header_only=True)
            model = header.eval.model
            def dumped(config):
                return config.model_dump(exclude_none=True) if config is not None else None
            GENERATION = generation(dumped(header.eval.model_generate_config), dumped(header.plan.config if header.plan else None))
            with open(target, "w", encoding="utf-8") as sink:
                for sample in read_eval_log_samples(source, all_samples_required=False):
                    sink.write(json.dumps(record(sample.model_dump(mode="json"), model)) + "\n")
            return True

        if reader != "builtin" and with_inspect():
            sys.exit(0)

        with open(target, "w", encoding="utf-8") as sink:
            if zipfile.is_zipfile(source):
                archive = zipfile.ZipFile(source)
                names = archive.namelist()
                header = "header.json" if "header.json" in names else "_journal/start.json"
                if header not in names:
                    sys.exit("the archive has neither header.json nor _journal/start.json")
                started = json.loads(member(archive, header))
                model = started["eval"]["model"]
                GENERATION = generation(started["eval"].get("model_generate_config"), (started.get("plan") or {}).get("config"))
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
                GENERATION = generation(log["eval"].get("model_generate_config"), (log.get("plan") or {}).get("config"))
                for sample in log.get("samples") or []:
                    sink.write(json.dumps(record(sample, model)) + "\n")
        """#
}
