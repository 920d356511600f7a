import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs untrusted, model-written Python.
///
/// With bubblewrap: its own network (loopback only, nothing listening), PID,
/// IPC, UTS and user namespaces; a read-only system (`/usr` and what the
/// interpreter needs, nothing else of the host); a size-limited tmpfs as the
/// only writable folder; an empty environment. Everywhere: resource limits
/// (`prlimit`), an unprivileged uid of its own when started as root (so it
/// cannot signal or read what belongs to us, nor share process limits with
/// another sample), its own process group killed as a whole when it
/// ends or overruns. Without bubblewrap only the limits and the uid apply, and
/// ``isolation`` says why — callers print that once per run.
///
/// Under bubblewrap programs run in warm workers (``WarmSupervisor``): bubblewrap and
/// the interpreter start once per worker, each program is a fresh fork with the same
/// limits, and nothing a program leaves reaches the next.
package struct Sandbox: Sendable {
    /// How strongly code is isolated on this machine.
    package enum Isolation: Sendable, Hashable, CustomStringConvertible {
        case bubblewrap(path: String)
        case limitsOnly(reason: String)

        package var description: String {
            switch self {
            case .bubblewrap(let path): return "isolated with bubblewrap (\(path)): own network, PID and IPC namespaces, read-only system, tmpfs scratch"
            case .limitsOnly(let reason):
                return "WARNING: model-written code is NOT isolated (\(reason)); it runs with resource limits only. Install bubblewrap (apt-get install bubblewrap) to isolate it."
            }
        }
    }

    /// The result of one run.
    package struct Outcome: Sendable, Hashable {
        package var code: CodeOutcome
        package var detail: String
        package var stdout: String
        package var stderr: String
        package var seconds: Double
        /// Set when the program did not end by itself or by its own limits (something
        /// outside killed it, or the sandbox could not run it): an error of the run, never
        /// a failed sample.
        package var harnessError: String? = nil
    }

    package let isolation: Isolation
    package let python: String
    package let limits: SandboxLimits
    private let runner: ProcessRunner
    private let dropsPrivileges: Bool
    /// Warm workers (bubblewrap only): each program forked inside an already-started
    /// sandbox instead of a new bubblewrap and interpreter per program.
    private let warm: WarmSandboxPool?

    /// A sandbox for `python` with the given isolation (see ``detect(environment:)``).
    /// With bubblewrap, programs run in warm workers unless `warm` is false (the cold
    /// path, one bubblewrap per program, is kept for benchmarks and comparison).
    package init(python: String, limits: SandboxLimits = SandboxLimits(), isolation: Isolation, warm: Bool = true) {
        self.limits = limits
        self.isolation = isolation
        let dropsPrivileges = getuid() == 0 && FileManager.default.isExecutableFile(atPath: Self.setpriv)
        self.dropsPrivileges = dropsPrivileges
        // The sandbox user must reach the interpreter on the host (bubblewrap binds it
        // as that user); one inside a private home folder (pyenv under /root) is out of
        // reach, so use the system's when there is one.
        let isolated: Bool
        if case .bubblewrap = isolation { isolated = true } else { isolated = false }
        if (isolated || dropsPrivileges), !python.hasPrefix("/usr/"), FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            self.python = "/usr/bin/python3"
        } else {
            self.python = python
        }
        var runner = ProcessRunner()
        runner.outputCap = limits.keptOutputBytes
        self.runner = runner
        if warm, case .bubblewrap(let bwrap) = isolation {
            let python = self.python
            self.warm = try? WarmSandboxPool { supervisor in
                // A uid of its own for the worker's life: no other program gets it, nor sweeps it.
                let uid = dropsPrivileges ? try Self.uids.reserve() : nil
                return (Self.warmCommand(bwrap: bwrap, python: python, supervisor: supervisor, uid: uid, scratchBytes: limits.scratchBytes), uid)
            }
        } else {
            self.warm = nil
        }
    }

    /// A warm worker's command line: the sandbox as ``command(host:uid:)`` builds it, with the
    /// supervisor in place of one program; limits are set per program inside.
    static func warmCommand(bwrap: String, python: String, supervisor: String, uid: UInt32?, scratchBytes: Int) -> [String] {
        var command: [String] = []
        if let uid { command += [setpriv, "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--"] }
        command += bubblewrapArguments(bwrap: bwrap, python: python, scratchBytes: scratchBytes)
        command += ["--ro-bind", supervisor, "/ipgate/supervisor.py"] + finishingArguments
        command += [python, "-I", "-S", "-B", "/ipgate/supervisor.py"]
        return command
    }

    static let sandboxEnvironment = [
        ("PATH", "/usr/bin:/bin"), ("LANG", "C.UTF-8"), ("PYTHONHASHSEED", "0"), ("PYTHONIOENCODING", "utf-8"),
        ("PYTHONDONTWRITEBYTECODE", "1"),
    ]

    /// bubblewrap up to the scratch folder: namespaces, the read-only system, /proc, /dev and the sized tmpfs.
    static func bubblewrapArguments(bwrap: String, python: String, scratchBytes: Int) -> [String] {
        // `--as-pid-1`: the program (or the warm supervisor) is the namespace's init, so when
        // it ends the kernel kills everything left, and no reaper process is orphaned.
        var command = [
            bwrap, "--unshare-all", "--as-pid-1", "--die-with-parent", "--new-session", "--clearenv",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--ro-bind-try", "/etc/localtime", "/etc/localtime",
        ]
        let prefix = prefix(of: python)
        if !prefix.hasPrefix("/usr/") { command += ["--ro-bind", prefix, prefix] }
        command += ["--proc", "/proc", "--dev", "/dev", "--size", String(scratchBytes), "--tmpfs", "/work"]
        return command
    }

    /// After the binds: /tmp is the scratch folder, the rest read-only, the environment set.
    static var finishingArguments: [String] {
        // One writable, sized folder: /tmp is /work, and the root bubblewrap builds and
        // its /dev (with /dev/shm) are read-only — `--size` bounds only the next tmpfs.
        var command = ["--symlink", "/work", "/tmp", "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/work"]
        for (key, value) in sandboxEnvironment + [("HOME", "/work")] { command += ["--setenv", key, value] }
        return command
    }

    static let setpriv = "/usr/bin/setpriv"
    static let prlimit = "/usr/bin/prlimit"
    static let nobody = "65534"

    /// What this machine supports under `environment` (`IPGATE_SANDBOX=none` turns
    /// bubblewrap off): bubblewrap when it is present and can create its namespaces.
    /// Probed once per process and setting.
    package static func detect(environment: GateEnvironment) async -> Isolation {
        await detections.isolation(setting: environment.sandbox, path: environment.path)
    }

    private static let detections = Detections()

    private actor Detections {
        private var known: [String: Task<Isolation, Never>] = [:]

        func isolation(setting: String?, path: String) async -> Isolation {
            let key = (setting ?? "") + "\u{0}" + path
            if let task = known[key] { return await task.value }
            let task = Task { await Sandbox.probe(setting: setting, path: path) }
            known[key] = task
            return await task.value
        }
    }

    private static func probe(setting: String?, path: String) async -> Isolation {
        if setting == "none" { return .limitsOnly(reason: "IPGATE_SANDBOX=none") }
        let candidates = ["/usr/bin/bwrap", "/bin/bwrap"] + path.split(separator: ":").map { "\($0)/bwrap" }
        guard let bwrap = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .limitsOnly(reason: "bubblewrap (bwrap) is not installed")
        }
        var executable = bwrap
        var arguments = ["--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin",
                         "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "/usr/bin/true"]
        if getuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv) {
            executable = setpriv
            arguments = ["--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups", "--", bwrap] + arguments
        }
        let output: HelperProcess.Output
        do {
            output = try await HelperProcess.run(executable, arguments)
        } catch {
            return .limitsOnly(reason: "bubblewrap cannot start: \(error)")
        }
        guard output.succeeded else {
            return .limitsOnly(reason: "bubblewrap cannot create namespaces here: \(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return .bubblewrap(path: bwrap)
    }

    /// Runs `program` as `main.py` in a fresh scratch folder and classifies how it ended.
    package func run(program: String) async -> Outcome {
        if let warm, !warm.unavailable {
            let outcome = await runWarm(program, in: warm)
            // A worker that cannot start here (an old kernel or Python without pidfds): every
            // program runs the cold way from now on, as it did before warm workers.
            guard outcome.harnessError != nil else { return outcome }
            warm.unavailable = true
        }
        do {
            // Named after this process's uid block, so a guardian (or the next lease) can remove it.
            let lease = dropsPrivileges ? try Self.uids.next() : nil
            let host = (lease?.scratchPrefix ?? FileManager.default.temporaryDirectory.path + "/ipgate-sandbox-") + UUID().uuidString
            try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(atPath: host) }
            // The sandbox uid must read the program and, without bubblewrap, write the folder.
            chmod(host, isBubblewrap ? 0o711 : 0o777)
            try program.write(toFile: host + "/main.py", atomically: false, encoding: .utf8)
            chmod(host + "/main.py", 0o644)
            let uid = lease?.uid ?? 0
            // Without bubblewrap nothing bounds the scratch folder's total size: watch it, and
            // (with a uid of its own) what the program writes to the shared writable folders.
            let limit = limits.scratchBytes
            let ownsUID = dropsPrivileges
            let watchdog: (@Sendable () -> Bool)? = isBubblewrap ? nil : { @Sendable in
                Self.folderSize(host) + (ownsUID ? Self.outsideWrites(uid: uid).reduce(0) { $0 + $1.bytes } : 0) > limit
            }
            let oomKillsBefore = Self.oomKills()
            let result = try await runner.run(
                command(host: host, uid: uid), directory: host, environment: ["PATH": "/usr/bin:/bin"],
                timeLimit: limits.wallSeconds, watchdog: watchdog)
            if dropsPrivileges { await sweep(uid: uid) }
            var outcome = classify(result, host: host)
            if outcome.code == .killed, case .signalled(SIGKILL) = result.termination, let before = oomKillsBefore,
               let after = Self.oomKills(), after > before {
                outcome.detail += "; the machine's OOM killer killed \(after - before) process(es) meanwhile"
            }
            if !isBubblewrap, dropsPrivileges, let stray = Self.removeOutsideWrites(uid: uid) {
                outcome.detail = stray + (outcome.code == .passed ? "" : "; " + outcome.detail)
                if outcome.code == .passed { outcome.code = .error }
            }
            return outcome
        } catch {
            return Outcome(
                code: .error, detail: "could not run the program: \(error)", stdout: "", stderr: "", seconds: 0,
                harnessError: "the sandbox could not run a program: \(error)")
        }
    }

    /// Runs `program` in a warm worker: forked inside an already-started sandbox, with the
    /// same limits, set in the forked child, and the same classification.
    private func runWarm(_ program: String, in pool: WarmSandboxPool) async -> Outcome {
        let request = WarmWorker.Request(program: program, limits: limits)
        let oomKillsBefore = Self.oomKills()
        let start = Date()
        // The supervisor enforces the wall time; the margin only catches a worker that stopped answering.
        switch await pool.run(request, timeout: limits.wallSeconds + 15) {
        case .failure(let ended) where ended.startFailed || ended.beforeStart:
            return Outcome(
                code: .error, detail: "could not run the program: \(ended)", stdout: "", stderr: "", seconds: 0,
                harnessError: "the sandbox could not run a program: \(ended)")
        case .failure(let ended):
            return Outcome(
                code: .killed, detail: "\(ended) after \(Format.number(Date().timeIntervalSince(start), decimals: 2)) s", stdout: "", stderr: "",
                seconds: Date().timeIntervalSince(start))
        case .success(let reply):
            let termination: ProcessRunner.Result.Termination
            let code = Int32(truncatingIfNeeded: reply.code)
            switch reply.status {
            case "timeout": termination = .timedOut
            case "signalled": termination = .signalled(code)
            default: termination = .exited(code)
            }
            let result = ProcessRunner.Result(
                termination: termination, stdout: reply.stdout, stderr: reply.stderr, seconds: reply.seconds, cpuSeconds: reply.cpu)
            var outcome = classify(result, outputBytes: (reply.stdoutBytes, reply.stderrBytes), direct: true)
            if outcome.code == .killed, case .signalled(SIGKILL) = termination, let before = oomKillsBefore,
               let after = Self.oomKills(), after > before {
                outcome.detail += "; the machine's OOM killer killed \(after - before) process(es) meanwhile"
            }
            return outcome
        }
    }

    private var isBubblewrap: Bool {
        if case .bubblewrap = isolation { return true }
        return false
    }

    /// The full command line: privilege drop, limits, then isolation or a bare environment.
    func command(host: String, uid: UInt32) -> [String] {
        var command: [String] = []
        if dropsPrivileges {
            command += [Self.setpriv, "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--"]
        }
        if FileManager.default.isExecutableFile(atPath: Self.prlimit) {
            command += [
                Self.prlimit, "--as=\(limits.memoryBytes)", "--cpu=\(limits.cpuSeconds)", "--nproc=\(limits.processes)",
                "--nofile=\(limits.openFiles)", "--fsize=\(limits.fileSizeBytes)", "--",
            ]
        }
        let environment = Self.sandboxEnvironment
        switch isolation {
        case .bubblewrap(let bwrap):
            command += Self.bubblewrapArguments(bwrap: bwrap, python: python, scratchBytes: limits.scratchBytes)
            command += ["--ro-bind", host + "/main.py", "/work/main.py"] + Self.finishingArguments
            command += [python, "-I", "-S", "-B", "main.py"]
        case .limitsOnly:
            command += ["/usr/bin/env", "-i"] + (environment + [("HOME", host)]).map { "\($0.0)=\($0.1)" }
            // Not root: no other uid to hide behind, so put a shell between us and the
            // program, which then cannot signal us by killing its parent.
            if !dropsPrivileges { command += ["/bin/sh", "-c", "\"$@\"; exit $?", "sh"] }
            command += [python, "-I", "-S", "-B", "main.py"]
        }
        return command
    }

    /// How many processes the kernel's OOM killer has killed since boot (`oom_kill` in
    /// `/proc/vmstat`), or nil where the kernel does not say.
    static func oomKills() -> Int? {
        // Read before every program: read into one buffer with plain system calls (through
        // `FileManager` it cost twice the kernel's writing it), and the bytes searched, not
        // split into its ~180 lines.
        let descriptor = open("/proc/vmstat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16 << 10) { buffer -> Int? in
            var count = 0
            while count < buffer.count {
                let n = read(descriptor, buffer.baseAddress! + count, buffer.count - count)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                count += n
            }
            return oomKills(in: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// The `oom_kill` count in the bytes of `/proc/vmstat`.
    static func oomKills(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let key = Array("oom_kill ".utf8)
        var start = 0
        while start + key.count <= bytes.count {
            if bytes[start..<(start + key.count)].elementsEqual(key) {
                var value = 0, index = start + key.count, digits = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    value = value &* 10 &+ Int(bytes[index] - 0x30)
                    index += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            // The next line.
            while start < bytes.count, bytes[start] != 0x0A { start += 1 }
            start += 1
        }
        return nil
    }

    /// Kills every process left with the run's uid — including ones that left the
    /// process group with `setsid` — by signalling all it can reach *as that uid*.
    private func sweep(uid: UInt32) async {
        let command = [Self.setpriv, "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--", "/bin/kill", "-9", "-1"]
        _ = try? await runner.run(command, directory: "/", environment: ["PATH": "/usr/bin:/bin"], timeLimit: 5)
    }

    /// Bytes under `folder`, counted without following links.
    static func folderSize(_ folder: String) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return 0 }
        var total = 0
        while walker.nextObject() != nil {
            total += (walker.fileAttributes?[.size] as? NSNumber)?.intValue ?? 0
        }
        return total
    }

    /// Each sample gets its own unprivileged uid, unique across processes (see ``UIDPool``),
    /// so process limits (RLIMIT_NPROC counts per uid) and signals never cross between
    /// samples or runs — a fork bomb in one sample cannot starve the next.
    static let uids = UIDPool.shared

    /// The installation folder of an interpreter (`…/bin/python3` → `…`), resolving links.
    static func prefix(of python: String) -> String {
        let resolved = URL(fileURLWithPath: python).resolvingSymlinksInPath()
        return resolved.deletingLastPathComponent().deletingLastPathComponent().path
    }

    func classify(_ result: ProcessRunner.Result, host: String) -> Outcome {
        func size(_ name: String) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: host + "/" + name))?[.size] as? NSNumber)?.intValue ?? 0
        }
        return classify(result, outputBytes: (size(".stdout"), size(".stderr")), direct: false)
    }

    /// How a program ended, in the sample's words. `outputBytes` are the sizes of its stdout
    /// and stderr files; `direct` when the status is the program's own (a warm worker reports
    /// it), not bubblewrap's.
    func classify(_ result: ProcessRunner.Result, outputBytes: (Int, Int), direct: Bool) -> Outcome {
        var result = result
        var via = ""
        // bubblewrap reports a child killed by signal n as exit status 128 + n.
        if !direct, isBubblewrap, case .exited(let status) = result.termination, status > 128, status < 160 {
            result.termination = .signalled(status - 128)
            via = " (reported by bubblewrap as exit status \(status))"
        }
        let overflowed = max(outputBytes.0, outputBytes.1) >= limits.fileSizeBytes
        let lastLine = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
        let (code, detail): (CodeOutcome, String)
        switch result.termination {
        case .timedOut:
            (code, detail) = (.timeout, "ran past the \(Format.number(limits.wallSeconds, decimals: 0)) s wall-time limit")
        case .stoppedByWatchdog:
            (code, detail) = (.killed, "killed for writing more than \(limits.scratchBytes >> 20) MiB to its scratch folder")
        case .exited(0):
            (code, detail) = (.passed, "passed")
        case .exited:
            if overflowed {
                (code, detail) = (.outputLimit, "printed more than \(limits.fileSizeBytes) bytes")
            } else if lastLine.hasPrefix("AssertionError") {
                (code, detail) = (.failedAssertion, String(lastLine.prefix(200)))
            } else if lastLine.hasPrefix("MemoryError") {
                (code, detail) = (.memoryLimit, "exceeded the \(limits.memoryBytes >> 20) MiB memory limit")
            } else {
                (code, detail) = (.error, String((lastLine.isEmpty ? "exited non-zero" : lastLine).prefix(200)))
            }
        case .signalled(let signal):
            if signal == SIGXFSZ && overflowed {
                (code, detail) = (.outputLimit, "printed more than \(limits.fileSizeBytes) bytes")
            } else if signal == SIGXFSZ {
                (code, detail) = (.killed, "killed for writing a file over \(limits.fileSizeBytes) bytes")
            } else if signal == SIGXCPU || signal == SIGKILL && result.cpuSeconds >= Double(limits.cpuSeconds) - 0.05 {
                // With equal soft and hard limits the kernel ends a CPU hog with SIGKILL.
                (code, detail) = (.timeout, "ran past the \(limits.cpuSeconds) s CPU-time limit")
            } else if signal == SIGKILL {
                // None of our limits did it. What a program does to itself (`os.kill(getpid(), 9)`,
                // `os._exit(137)`, which bubblewrap reports alike) is that sample's failure; the run
                // fails only on the harness's own evidence, never on what a sample can forge.
                (code, detail) = (.killed, "killed by SIGKILL\(via) after \(Format.number(result.seconds, decimals: 2)) s, by none of the sandbox's limits (the program itself, or something outside it)")
            } else {
                (code, detail) = (.killed, "killed by signal \(signal)\(via) after \(Format.number(result.seconds, decimals: 2)) s")
            }
        }
        return Outcome(code: code, detail: detail, stdout: result.stdout, stderr: result.stderr, seconds: result.seconds)
    }
}
