import Foundation
import Testing
@testable import InoculationGate

/// Model-written code is hostile until proven otherwise. Each program here
/// attacks the machine; each must end as a failed sample with the right reason,
/// the run must go on, and nothing it started may outlive it.
@Suite("Hostile code", .serialized)
struct HostileCodeTests {
    static func sandbox(_ isolation: Sandbox.Isolation? = nil, wall: Double = 5) async throws -> Sandbox {
        var limits = SandboxLimits()
        limits.wallSeconds = wall
        limits.cpuSeconds = Int(wall) + 1
        limits.memoryBytes = 512 << 20
        let chosen: Sandbox.Isolation
        if let isolation { chosen = isolation } else { chosen = await TestEnvironment.isolation() }
        return Sandbox(python: try await TestEnvironment.python(), limits: limits, isolation: chosen)
    }

    /// Isolations to test: bubblewrap when this machine has it, and always limits only.
    static func isolations() async -> [Sandbox.Isolation] {
        var all: [Sandbox.Isolation] = [.limitsOnly(reason: "test")]
        let detected = await TestEnvironment.isolation()
        if case .bubblewrap = detected { all.insert(detected, at: 0) }
        return all
    }

    /// Processes whose command line carries `token`: none may survive a run.
    static func survivors(_ token: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
            return line.contains(token) ? "\(pid): \(line)" : nil
        }
    }

    /// The kernel tears a PID namespace down asynchronously: allow it a few seconds.
    static func noneSurvive(_ token: String) async -> Bool {
        let start = Date()
        while Date().timeIntervalSince(start) < 5 {
            let left = survivors(token).count
            if left == 0 {
                TestLog.note("no survivors after \(Format.number(Date().timeIntervalSince(start), decimals: 2)) s")
                return true
            }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return false
    }

    static func token() -> String { "ipgate-hostile-\(UUID().uuidString.prefix(8))" }

    @Test("an infinite loop times out", arguments: await isolations())
    func infiniteLoop(isolation: Sandbox.Isolation) async throws {
        let outcome = try await Self.sandbox(isolation, wall: 2).run(program: "while True:\n    pass\n")
        #expect(outcome.code == .timeout, "\(outcome.detail)")
    }

    @Test("a fork bomb is stopped and leaves no process behind", arguments: await isolations())
    func forkBomb(isolation: Sandbox.Isolation) async throws {
        let token = Self.token()
        let program = """
            import os, sys
            os.execv(sys.executable, [sys.executable, "-c", "import os\\nwhile True:\\n    try:\\n        os.fork()\\n    except OSError:\\n        pass", "\(token)"])
            """
        let outcome = try await Self.sandbox(isolation, wall: 3).run(program: program)
        #expect(outcome.code != .passed)
        #expect([CodeOutcome.timeout, .killed, .error].contains(outcome.code), "\(outcome.code): \(outcome.detail)")
        #expect(await Self.noneSurvive(token), "survivors: \(Self.survivors(token).prefix(3))")
    }

    @Test("a daemon that leaves the process group with setsid does not survive", arguments: await isolations())
    func escapedDaemon(isolation: Sandbox.Isolation) async throws {
        let token = Self.token()
        let program = """
            import os, sys
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execv(sys.executable, [sys.executable, "-c", "import time\\ntime.sleep(30)", "\(token)"])
                os._exit(0)
            def f():
                return 1
            assert f() == 1
            """
        let outcome = try await Self.sandbox(isolation).run(program: program)
        #expect(outcome.code == .passed, "\(outcome.detail)")
        #expect(await Self.noneSurvive(token), "survivors: \(Self.survivors(token).prefix(3))")
    }

    @Test("a memory bomb hits the memory limit", arguments: await isolations())
    func memoryBomb(isolation: Sandbox.Isolation) async throws {
        // A generous wall limit: on a loaded machine allocating 512 MB can take seconds, and
        // the memory limit, not the clock, is what this test is about.
        let outcome = try await Self.sandbox(isolation, wall: 30).run(program: "blocks = []\nwhile True:\n    blocks.append(bytearray(64 << 20))\n")
        #expect(outcome.code == .memoryLimit, "\(outcome.code): \(outcome.detail)")
    }

    @Test("filling the disk fails inside the limits", arguments: await isolations())
    func diskFill(isolation: Sandbox.Isolation) async throws {
        let program = """
            chunk = b"x" * (1 << 20)
            for i in range(10000):
                with open(f"fill-{i}.bin", "wb") as f:
                    for _ in range(8):
                        f.write(chunk)
            """
        let outcome = try await Self.sandbox(isolation).run(program: program)
        #expect(outcome.code != .passed, "\(outcome.detail)")
        if case .bubblewrap = isolation {
            // The tmpfs scratch fills up: "No space left on device".
            #expect(outcome.code == .error && outcome.detail.contains("No space left"), "\(outcome.code): \(outcome.detail)")
        } else {
            // Without a tmpfs, the watchdog stops it once the folder passes its limit.
            #expect(outcome.code == .killed && outcome.detail.contains("scratch folder"), "\(outcome.code): \(outcome.detail)")
        }
    }

    @Test("with bubblewrap every writable place is capped: /, /tmp, /dev/shm and the scratch folder together hold at most the scratch size",
          .enabled("needs bubblewrap (apt-get install bubblewrap)") { await HostileCodeTests.hasBubblewrap() })
    func everyMountSized() async throws {
        let program = """
            import errno
            chunk = b"x" * (1 << 20)
            written = {}
            for place in ["/", "/tmp", "/dev/shm", "/work", "/usr"]:
                total = 0
                try:
                    with open(place.rstrip("/") + "/fill" + place.replace("/", "-") + ".bin", "wb") as f:
                        for _ in range(2048):
                            f.write(chunk)
                            f.flush()
                            total += len(chunk)
                except OSError as error:
                    pass
                written[place] = total
            print(written)
            """
        var limits = SandboxLimits()
        limits.wallSeconds = 20
        limits.cpuSeconds = 21
        limits.fileSizeBytes = 4 << 30
        let sandbox = Sandbox(python: try await TestEnvironment.python(), limits: limits, isolation: await TestEnvironment.isolation())
        let outcome = await sandbox.run(program: program)
        #expect(outcome.code == .passed, "\(outcome.code): \(outcome.detail)")
        let counts = outcome.stdout.split(separator: ",").compactMap { part -> (String, Int)? in
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let bytes = Int(pieces[1].filter(\.isNumber)) else { return nil }
            return (pieces[0].filter { $0 != "{" && $0 != "'" && $0 != " " }, bytes)
        }
        let written = Dictionary(uniqueKeysWithValues: counts)
        #expect(written["/"] == 0 && written["/dev/shm"] == 0 && written["/usr"] == 0, "\(outcome.stdout)")
        #expect((written["/tmp"] ?? .max) + (written["/work"] ?? .max) <= limits.scratchBytes, "\(outcome.stdout)")
    }

    @Test("printing 100 MB hits the output limit", arguments: await isolations())
    func floodOutput(isolation: Sandbox.Isolation) async throws {
        let outcome = try await Self.sandbox(isolation).run(program: "import sys\nline = 'y' * 1023 + '\\n'\nfor _ in range(100 * 1024):\n    sys.stdout.write(line)\n")
        #expect(outcome.code == .outputLimit, "\(outcome.code): \(outcome.detail)")
        #expect(outcome.stdout.utf8.count <= SandboxLimits().keptOutputBytes)
    }

    @Test("nothing of our environment is in the program's", arguments: await isolations())
    func secret(isolation: Sandbox.Isolation) async throws {
        // Every variable of the test process (API keys live there) must stay out; only the
        // sandbox's own fixed set is inside. No setenv: the process's variables are the probe.
        let ours = GateProject.processEnvironment.variables
        let program = "import json, os\nprint(json.dumps(dict(os.environ)))\n"
        let outcome = try await Self.sandbox(isolation).run(program: program)
        #expect(outcome.code == .passed, "\(outcome.code): \(outcome.detail)")
        let inside = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: String] ?? [:]
        let own: Set<String> = ["PATH", "HOME", "LANG", "PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONDONTWRITEBYTECODE", "PWD", "LC_CTYPE", "SHLVL", "_"]
        let leaked = inside.filter { !own.contains($0.key) && ours[$0.key] == $0.value }
        #expect(leaked.isEmpty, "leaked into the sandbox: \(leaked.keys.sorted())")
        #expect(inside["PATH"] == "/usr/bin:/bin")
        #expect(!ours.isEmpty && inside.count < ours.count)
    }

    @Test("writing outside the scratch folder fails and changes nothing on the host", arguments: await isolations())
    func writeOutside(isolation: Sandbox.Isolation) async throws {
        let hostFolder = FileManager.default.temporaryDirectory.appendingPathComponent(Self.token()).path
        try FileManager.default.createDirectory(atPath: hostFolder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: hostFolder) }
        let target = hostFolder + "/planted.txt"
        let outcome = try await Self.sandbox(isolation).run(program: "open('\(target)', 'w').write('owned')\n")
        #expect(outcome.code == .error, "\(outcome.code): \(outcome.detail)")
        #expect(outcome.detail.contains("Error: [Errno"), "the program did not run: \(outcome.detail)")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test("killing its parent or us does not touch the test process", arguments: await isolations())
    func killParent(isolation: Sandbox.Isolation) async throws {
        let program = """
            import os, signal
            for pid in (os.getppid(), \(getpid())):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError as error:
                    print("refused:", type(error).__name__)
            raise SystemExit(3)
            """
        let outcome = try await Self.sandbox(isolation).run(program: program)
        #expect(outcome.code == .error)
        #expect(outcome.stdout.contains("refused"), "the program did not run: \(outcome.detail)")
        // Still here: the test process was not killed.
        #expect(kill(getpid(), 0) == 0)
    }

    /// Whether this machine isolates with bubblewrap (CI installs it; tests that need it are skipped, with this reason, without).
    static func hasBubblewrap() async -> Bool {
        if case .bubblewrap = await TestEnvironment.isolation() { return true }
        return false
    }

    @Test("with bubblewrap, a program cannot reach a server on our loopback",
          .enabled("needs bubblewrap (apt-get install bubblewrap)") { await HostileCodeTests.hasBubblewrap() })
    func network() async throws {
        let server = try LoopbackServer()
        defer { server.close() }
        let program = """
            import socket
            s = socket.create_connection(("127.0.0.1", \(server.port)), timeout=2)
            s.sendall(b"exfiltrated")
            """
        let outcome = try await Self.sandbox().run(program: program)
        #expect(outcome.code == .error, "\(outcome.code): \(outcome.detail)")
        #expect(!server.receivedConnection(), "the sandboxed program reached the loopback server")
        // Control: the same server is reachable from outside the sandbox.
        let open = try await Self.sandbox(.limitsOnly(reason: "control")).run(program: program)
        #expect(open.code == .passed && server.receivedConnection(), "control connection failed: \(open.detail)")
    }

    @Test("without bubblewrap a run warns exactly once that code is not isolated")
    func warningOnce() async throws {
        let fixture = try Fixture()
        let suite = try fixture.load(Fixture.suite)
        let warnings = WarningLog()
        var options = SuiteRunner.Options()
        // A reason of this test's own: the warning is said once per process, and another test's
        // run on a machine without bubblewrap says the detected reason first.
        options.isolation = .limitsOnly(reason: "bubblewrap (bwrap) is not installed; warning-once test")
        options.warn = { warnings.append($0) }
        options.environment = TestEnvironment.base
        let result = try await SuiteRunner(options: options).run(suite)
        #expect(warnings.messages.count == 1)
        #expect(warnings.messages.first?.contains("NOT isolated") == true)
        #expect(RunReport(result).render().contains("NOT isolated"))
    }

    final class WarningLog: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ message: String) { lock.withLock { stored.append(message) } }
        var messages: [String] { lock.withLock { stored } }
    }
}

/// A TCP server on 127.0.0.1 that only records whether anyone connected.
final class LoopbackServer: @unchecked Sendable {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    /// True when a connection is waiting (accepts it).
    func receivedConnection() -> Bool {
        let client = accept(descriptor, nil, nil)
        if client >= 0 { Glibc.close(client) }
        return client >= 0
    }

    func close() { Glibc.close(descriptor) }
}

/// Warm sandboxes run many programs in one worker: nothing one program leaves may
/// reach the next.
@Suite("Warm sandbox", .serialized, .enabled("needs bubblewrap (apt-get install bubblewrap)") { await HostileCodeTests.hasBubblewrap() })
struct WarmSandboxTests {
    /// The worker's identity as a program sees it: its init's start time.
    static let identity = "open('/proc/1/stat').read().split(') ')[1].split()[19]"

    @Test("a program that leaves a file, a process, an environment variable, a patched module, a new module, a builtin and a thread leaves nothing the next program in the same worker sees")
    func nothingCarriesOver() async throws {
        let sandbox = try await HostileCodeTests.sandbox(wall: 10)
        let token = HostileCodeTests.token()
        let litter = """
            import builtins, json, os, sys, threading, time, types
            open("/work/left.txt", "w").write("left")
            open("/tmp/left-tmp.txt", "w").write("left")
            os.makedirs("/work/deep/er", exist_ok=True)
            os.chmod("/work/deep", 0)
            os.environ["IPGATE_LEFT"] = "1"
            os.putenv("IPGATE_LEFT_PUT", "1")
            json.dumps = lambda *a, **k: "patched"
            sys.modules["leftover"] = types.ModuleType("leftover")
            builtins.IPGATE_LEFT = True
            threading.Thread(target=time.sleep, args=(30,)).start()
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execv(sys.executable, [sys.executable, "-c", "import time\\ntime.sleep(30)", "\(token)"])
                os._exit(0)
            print(\(Self.identity), flush=True)
            os._exit(0)
            """
        let first = await sandbox.run(program: litter)
        #expect(first.code == .passed, "\(first.code): \(first.detail) \(first.stderr)")
        let check = """
            import builtins, json, os, sys, threading
            found = []
            for path in ("/work/left.txt", "/tmp/left-tmp.txt", "/work/deep"):
                if os.path.exists(path): found.append(path)
            if "IPGATE_LEFT" in os.environ or "IPGATE_LEFT_PUT" in os.environ: found.append("environment")
            if json.dumps({}) != "{}": found.append("patched json")
            if "leftover" in sys.modules: found.append("module")
            if hasattr(builtins, "IPGATE_LEFT"): found.append("builtin")
            if threading.active_count() != 1: found.append("thread")
            others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]
            if others: found.append("processes " + " ".join(open(f"/proc/{p}/cmdline").read().replace("\\0", " ") for p in others))
            print(\(Self.identity))
            print("found:", found)
            assert not found, found
            """
        let second = await sandbox.run(program: check)
        #expect(second.code == .passed, "\(second.code): \(second.stdout) \(second.stderr)")
        let worker = { (outcome: Sandbox.Outcome) in outcome.stdout.split(separator: "\n").first.map(String.init) }
        #expect(worker(first) != nil && worker(first) == worker(second), "both programs ran in one worker: \(first.stdout) / \(second.stdout)")
        #expect(await HostileCodeTests.noneSurvive(token), "survivors: \(HostileCodeTests.survivors(token).prefix(3))")
    }

    @Test("a warm worker's uid is its own: no other program is given it (nor sweeps it as that uid) until the worker releases it",
          .enabled("needs root (uids of its own)") { getuid() == 0 })
    func reservedUID() throws {
        let pool = UIDPool.shared
        let reserved = try pool.reserve()
        let handedOut = try (0..<600).map { _ in try pool.next().uid }
        #expect(!handedOut.contains(reserved), "a reserved uid was handed out")
        pool.release(reserved)
        let after = try (0..<600).map { _ in try pool.next().uid }
        #expect(after.contains(reserved), "a released uid is used again")
    }

    @Test("a program that ends its worker is that sample's failure; the next program gets a fresh worker")
    func endedWorker() async throws {
        let sandbox = try await HostileCodeTests.sandbox(wall: 5)
        // Deeper than PATH_MAX: the worker cannot empty the folder and ends (the program's doing).
        let deep = "import os\nfor _ in range(3000):\n    os.mkdir('d')\n    os.chdir('d')\n"
        let ended = await sandbox.run(program: deep)
        #expect(ended.harnessError == nil && ended.code != .passed, "\(ended.code): \(ended.detail)")
        let next = await sandbox.run(program: "import os\nassert os.listdir('/work') == ['main.py'], os.listdir('/work')\n")
        #expect(next.code == .passed, "\(next.code): \(next.detail) \(next.stderr)")
    }

    @Test("a sandbox keeps no descriptor of ours open: a pipe we close while a worker or program lives reads to its end", arguments: [true, false])
    func noDescriptorOfOursIsKept(warm: Bool) async throws {
        // A long-lived warm worker (or a program still running) that inherited the write end of
        // some pipe of ours kept a reader of that pipe waiting for its end forever: a test run
        // hung on a helper's output this way.
        var limits = SandboxLimits()
        limits.wallSeconds = 5
        // The uid block's guardian is started once per process, at the first sandboxed program:
        // here before the pipe (what is checked is what each worker and program inherits).
        _ = await Sandbox(python: try await TestEnvironment.python(), limits: limits, isolation: await TestEnvironment.isolation(), warm: false)
            .run(program: "pass\n")
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let sandbox = Sandbox(python: try await TestEnvironment.python(), limits: limits, isolation: await TestEnvironment.isolation(), warm: warm)
        let run = Task { await sandbox.run(program: "import time\ntime.sleep(2)\n") }
        try await Task.sleep(for: .milliseconds(700))
        close(ends[1])
        var descriptor = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 1_000)
        var byte: UInt8 = 0
        let read = ready == 1 ? Glibc.read(ends[0], &byte, 1) : -1
        #expect(ready == 1 && read == 0, "the pipe's end was not seen while the sandbox ran (warm: \(warm)): a sandbox process holds its write end")
        _ = await run.value
        // After the run too: a warm worker lives on.
        #expect(await sandbox.run(program: "pass\n").code == .passed)
    }

    @Test("the uid guardian keeps no descriptor of ours: a pipe we close while it lives reads to its end")
    func guardianKeepsNoDescriptor() throws {
        let lockPath = FileManager.default.temporaryDirectory.path + "/ipgate-guardian-test-\(UUID().uuidString.prefix(8)).lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(lock >= 0)
        defer {
            close(lock)
            unlink(lockPath)
        }
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        // Uids no process has, and a scratch prefix nothing carries: the guardian's clean-up finds nothing.
        let guardian = try UIDPool.startGuardian(
            lockDescriptor: lock, uids: 4_000_000_000..<4_000_000_001, scratchPrefix: lockPath + "-scratch-")
        defer { close(guardian) }
        close(ends[1])
        var descriptor = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 2_000)
        var byte: UInt8 = 0
        let read = ready == 1 ? Glibc.read(ends[0], &byte, 1) : -1
        #expect(ready == 1 && read == 0, "the pipe's end was not seen: the guardian holds its write end")
    }

    @Test("a program reaches its worker byte for byte: quotes, backslashes, every control character, non-ASCII text and line separators")
    func programBytesArrive() async throws {
        let sandbox = try await HostileCodeTests.sandbox(wall: 10)
        let controls = String(String.UnicodeScalarView((1..<0x20).compactMap(Unicode.Scalar.init).filter { $0 != "\n" && $0 != "\r" }))
        let body = "# \(controls) \\ \" / é 漢 \u{2028} \u{2029} \u{1F600} \u{7F}\nassert True\n"
        // The program prints the SHA-256 of the file the worker wrote it to.
        let program = body + "import hashlib\nprint(hashlib.sha256(open(__file__, 'rb').read()).hexdigest())\n"
        let outcome = await sandbox.run(program: program)
        #expect(outcome.code == .passed, "\(outcome.code): \(outcome.detail) \(outcome.stderr)")
        #expect(outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == SHA256.hex(program))
        // And the line itself is JSON that reads back as the program and its limits.
        var limits = SandboxLimits()
        limits.wallSeconds = 2.5
        let line = WarmWorker.Request(program: program, limits: limits).line()
        #expect(line.last == 0x0A && line.dropLast().allSatisfy { $0 != 0x0A }, "one line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["program"] as? String == program)
        #expect(object["wall"] as? Double == 2.5 && object["memory"] as? Int == limits.memoryBytes && object["cap"] as? Int == limits.keptOutputBytes)
    }

    @Test("what compiling and running say reaches the program's stderr as it does cold: a syntax error, a compile-time warning, a traceback, a source too large to compile ahead")
    func compileMessagesAsCold() async throws {
        let isolation = await TestEnvironment.isolation()
        let python = try await TestEnvironment.python()
        var limits = SandboxLimits()
        limits.wallSeconds = 10
        let warm = Sandbox(python: python, limits: limits, isolation: isolation, warm: true)
        let cold = Sandbox(python: python, limits: limits, isolation: isolation, warm: false)
        let large = String(repeating: "x = 1  # padding the source past the size compiled ahead of the fork\n", count: 1_200)
        let programs = [
            "x = 1 +\n", "def f(:\n    pass\n", "assert (1, 'always true')\nprint('after')\n", "if 1 is 1:\n    print('literal')\n",
            "print('\\d')\n", large + "print('large')\n", large + "x = (\n",
            "def f(n):\n    return 1 / n\nf(0)\n", "import json\njson.loads('{')\n", "assert sorted([2, 1]) == [2, 1], 'order'\n",
        ]
        for program in programs {
            let (a, b) = (await warm.run(program: program), await cold.run(program: program))
            let shown = String(program.suffix(40))
            #expect(a.code == b.code, "\(shown): warm \(a.code) (\(a.detail)), cold \(b.code) (\(b.detail))")
            #expect(a.stdout == b.stdout, "\(shown): warm \(a.stdout), cold \(b.stdout)")
            #expect(a.stderr == b.stderr, "\(shown):\nwarm: \(a.stderr)\ncold: \(b.stderr)")
        }
    }

    @Test("programs with the same outcomes warm and cold: pass, assertion, error, timeout, memory, output")
    func sameOutcomes() async throws {
        // The memory bomb gets a generous wall limit: allocating 512 MB on a loaded machine
        // can take seconds, and the memory limit, not the clock, must end it in both.
        let programs: [(String, Double)] = [
            ("assert 1 + 1 == 2\n", 3), ("assert 1 + 1 == 3\n", 3), ("raise ValueError('no')\n", 3), ("while True:\n    pass\n", 3),
            ("blocks = []\nwhile True:\n    blocks.append(bytearray(64 << 20))\n", 30), ("import sys\nwhile True:\n    sys.stdout.write('y' * 4096)\n", 3),
            ("import sys\nsys.exit('a message')\n", 3), ("import sys\nsys.exit(0)\n", 3), ("print(__name__, __file__)\n", 3),
        ]
        let isolation = await TestEnvironment.isolation()
        let python = try await TestEnvironment.python()
        func sandbox(wall: Double, warm: Bool) -> Sandbox {
            var limits = SandboxLimits()
            limits.wallSeconds = wall
            limits.cpuSeconds = Int(wall) + 1
            limits.memoryBytes = 512 << 20
            return Sandbox(python: python, limits: limits, isolation: isolation, warm: warm)
        }
        let sandboxes = Dictionary(uniqueKeysWithValues: [3.0, 30.0].map { ($0, (warm: sandbox(wall: $0, warm: true), cold: sandbox(wall: $0, warm: false))) })
        for (program, wall) in programs {
            let pair = sandboxes[wall]!
            let (a, b) = (await pair.warm.run(program: program), await pair.cold.run(program: program))
            #expect(a.code == b.code, "\(program): warm \(a.code) (\(a.detail)), cold \(b.code) (\(b.detail))")
            #expect(a.stdout == b.stdout || a.code == .outputLimit, "\(program): warm \(a.stdout), cold \(b.stdout)")
        }
    }
}
