import Foundation
import Testing
@testable import InoculationGate

/// What model-written code really does: runs for longer than a pool thread stays idle,
/// loops forever, ends itself with a status that looks like an outside kill, and leaves
/// files in the machine's shared folders. Each is that sample's business, never the run's.
@Suite("Slow, self-ending and littering programs")
struct RealWorldSandboxTests {
    @Test("the OOM kill count is read from /proc/vmstat as its oom_kill line says")
    func oomKillCount() throws {
        guard let text = try? String(contentsOfFile: "/proc/vmstat", encoding: .utf8) else {
            #expect(Sandbox.oomKills() == nil)
            return
        }
        let line = text.split(separator: "\n").first { $0.hasPrefix("oom_kill ") }
        // The kernel's count can only grow between the two reads.
        let expected = line.flatMap { Int($0.dropFirst("oom_kill ".count)) }
        let read = Sandbox.oomKills()
        #expect(read.map { $0 >= expected ?? .max } ?? (expected == nil), "\(String(describing: read)) vs \(String(describing: expected))")
        #expect(read == nil || read! < (expected ?? 0) + 1_000)
    }

    @Test("the OOM kill count is found only at a line's start, wherever that line is", arguments: [
        ("oom_kill 7\nother 1\n", 7), ("nr_free 12\noom_kill 42", 42), ("xoom_kill 5\noom_killed 6\noom_kill 8\n", 8),
        ("nr_free 12\n", nil), ("oom_kill \n", nil), ("", nil),
    ] as [(String, Int?)])
    func oomKillLine(text: String, expected: Int?) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { Sandbox.oomKills(in: $0) } == expected, "\(text.debugDescription)")
    }

    @Test("a program that sleeps 6.5 s passes under a 9 s limit: nothing kills it when an idle thread exits",
          .tags(.slow), arguments: await HostileCodeTests.isolations())
    func outlivesIdleThreads(isolation: Sandbox.Isolation) async throws {
        let outcome = try await HostileCodeTests.sandbox(isolation, wall: 9).run(program: "import time\ntime.sleep(6.5)\n")
        #expect(outcome.code == .passed, "\(isolation): \(outcome.detail)")
        #expect(outcome.harnessError == nil, "\(isolation): \(outcome.harnessError ?? "")")
    }

    @Test("an infinite loop running past 5 s is a timeout at its own limit, not an error of the run",
          .tags(.slow), arguments: await HostileCodeTests.isolations())
    func longLoopTimesOut(isolation: Sandbox.Isolation) async throws {
        let outcome = try await HostileCodeTests.sandbox(isolation, wall: 7).run(program: "while True:\n    pass\n")
        #expect(outcome.code == .timeout, "\(isolation): \(outcome.detail)")
        #expect(outcome.harnessError == nil)
        #expect(outcome.seconds >= 6.9, "ended after \(outcome.seconds) s")
    }

    @Test("os._exit(137) is the sample's failure under every isolation", arguments: await HostileCodeTests.isolations())
    func exitStatusOfAKill(isolation: Sandbox.Isolation) async throws {
        let outcome = try await HostileCodeTests.sandbox(isolation).run(program: "import os\nos._exit(137)\n")
        #expect(outcome.harnessError == nil, "\(isolation): \(outcome.harnessError ?? "")")
        // bubblewrap reports it as a SIGKILL would be (status 137); without it, it is a plain non-zero exit.
        #expect(outcome.code == .killed || outcome.code == .error, "\(isolation): \(outcome.code) \(outcome.detail)")
    }

    @Test("a program that sends itself SIGKILL is that sample's failure, not an error of the run")
    func killsItself() async throws {
        let outcome = try await HostileCodeTests.sandbox(.limitsOnly(reason: "test")).run(program: "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
        #expect(outcome.harnessError == nil, "\(outcome.harnessError ?? "")")
        #expect(outcome.code == .killed && outcome.detail.contains("SIGKILL"), "\(outcome.detail)")
    }

    @Test("without bubblewrap, files left in /tmp, /var/tmp and /dev/shm fail the sample and are removed")
    func littersSharedFolders() async throws {
        guard getuid() == 0 else { return }   // only a uid of its own makes the files the sample's
        let token = "ipgate-litter-\(UUID().uuidString.prefix(8))"
        let program = """
            for folder in ("/tmp", "/var/tmp", "/dev/shm"):
                with open(folder + "/\(token)", "wb") as f:
                    f.write(b"x" * 1000)
            """
        let outcome = try await HostileCodeTests.sandbox(.limitsOnly(reason: "test")).run(program: program)
        #expect(outcome.code == .error, "\(outcome.code): \(outcome.detail)")
        #expect(outcome.detail.contains("wrote outside its scratch folder") && outcome.detail.contains("3000 bytes"), "\(outcome.detail)")
        for folder in Sandbox.sharedWritableFolders {
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/\(token)"), "left in \(folder)")
        }
    }

    @Test("without bubblewrap, 256 MiB written to /dev/shm in 8 MiB files counts against the 64 MiB scratch cap and is removed")
    func fillsSharedMemory() async throws {
        guard getuid() == 0 else { return }
        let token = "ipgate-shm-\(UUID().uuidString.prefix(8))"
        let program = """
            import time
            for i in range(32):   # 32 files of 8 MiB: each under the file-size limit, together 4 × the cap
                with open("/dev/shm/\(token)-%d" % i, "wb") as f:
                    for _ in range(8):
                        f.write(b"x" * (1 << 20))
                        f.flush()
                        time.sleep(0.002)
            """
        let outcome = try await HostileCodeTests.sandbox(.limitsOnly(reason: "test"), wall: 20).run(program: program)
        #expect(outcome.code == .killed, "\(outcome.code): \(outcome.detail)")
        #expect(outcome.detail.contains("wrote outside its scratch folder"), "\(outcome.detail)")
        let left = try FileManager.default.contentsOfDirectory(atPath: "/dev/shm").filter { $0.hasPrefix(token) }
        #expect(left.isEmpty, "left in /dev/shm: \(left)")
    }
}
