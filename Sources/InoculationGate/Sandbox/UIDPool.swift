import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Unprivileged uids for sandboxed programs, unique among every live process
/// on the machine — two gates at once (CI jobs, `swift test` beside `ipgate run`)
/// never share one, so one run's sweep (`kill -9 -1` as a uid) can never kill
/// another run's programs, and RLIMIT_NPROC (counted per uid) never couples them.
///
/// A process leases one block of uids for its whole life: an exclusive `flock`
/// on the block's lock file, which the kernel releases on any exit, `kill -9`
/// included. With the lease starts a *guardian*: a small shell process in its own
/// session that holds the same lock and waits on a pipe from us. When this process
/// ends — normally or killed — the pipe closes and the guardian kills every process
/// left with the block's uids (a fork bomb without bubblewrap, a daemon that left
/// its group) and removes the block's scratch folders, then exits and frees the
/// block. A block whose guardian was itself killed is swept again by the next
/// process that leases it.
final class UIDPool: @unchecked Sendable {
    static let shared = UIDPool()

    /// Machine-wide, not per user or per `TMPDIR`: every gate on the machine must see it.
    static let lockFolder = "/tmp/.ipgate-sandbox-uids"
    static let first: UInt32 = 200_000
    static let blockSize: UInt32 = 256
    static let blocks: UInt32 = 190

    private let lock = NSLock()
    private var lease: Lease?
    private var offset: UInt32 = 0
    /// Uids held by warm workers for their whole life: ``next()`` never hands them out,
    /// so no other program shares one, and no other program's sweep kills a worker.
    private var reserved: Set<UInt32> = []

    struct Lease {
        var block: UInt32
        var start: UInt32
        /// Held open for the life of the process: the lock, and the guardian's pipe.
        var lockDescriptor: Int32
        var pipeDescriptor: Int32
        /// Scratch folders of this block start with this path.
        var scratchPrefix: String
    }

    /// The next uid of this process's block (leased on first use), and the prefix its
    /// scratch folders must carry so a guardian (or the next lease) can remove them.
    func next() throws -> (uid: UInt32, scratchPrefix: String) {
        try lock.withLock { try nextLocked() }
    }

    /// A uid of this process's block that stays this caller's until ``release(_:)``.
    func reserve() throws -> UInt32 {
        try lock.withLock {
            guard reserved.count < Int(Self.blockSize) / 2 else {
                throw SandboxError.noInterpreter("more than \(Self.blockSize / 2) warm sandbox workers at once")
            }
            let uid = try nextLocked().uid
            reserved.insert(uid)
            return uid
        }
    }

    func release(_ uid: UInt32) {
        lock.withLock { _ = reserved.remove(uid) }
    }

    private func nextLocked() throws -> (uid: UInt32, scratchPrefix: String) {
        if lease == nil { lease = try Self.acquire() }
        while true {
            let uid = lease!.start + offset
            offset = (offset + 1) % Self.blockSize
            if !reserved.contains(uid) { return (uid, lease!.scratchPrefix) }
        }
    }

    static func scratchPrefix(block: UInt32) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ipgate-sandbox-\(block)-").path
    }

    private static func acquire() throws -> Lease {
        mkdir(lockFolder, 0o1777)
        chmod(lockFolder, 0o1777)
        let origin = UInt32(truncatingIfNeeded: getpid()) % blocks
        for step in 0..<blocks {
            let block = (origin + step) % blocks
            let descriptor = open("\(lockFolder)/block-\(block).lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { continue }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                continue
            }
            let start = first + block * blockSize
            let prefix = scratchPrefix(block: block)
            // Whatever a process that died with this block left behind (its guardian killed too).
            killProcesses(uids: start..<(start + blockSize))
            removeFolders(prefix: prefix)
            let pipe = try startGuardian(lockDescriptor: descriptor, uids: start..<(start + blockSize), scratchPrefix: prefix)
            return Lease(block: block, start: start, lockDescriptor: descriptor, pipeDescriptor: pipe, scratchPrefix: prefix)
        }
        throw SandboxError.noInterpreter("every sandbox uid block is leased by another live process (\(blocks) blocks under \(lockFolder))")
    }

    /// Starts the guardian; returns the write end of its pipe (kept open, close-on-exec).
    static func startGuardian(lockDescriptor: Int32, uids: Range<UInt32>, scratchPrefix: String) throws -> Int32 {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SandboxError.spawnFailed(program: "pipe", errno: errno) }
        // Neither end may leak into programs we start: a sandboxed daemon holding the write
        // end would keep the guardian waiting after our death.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let script = """
            uids=$(seq -s, \(uids.lowerBound) \(uids.upperBound - 1))
            while read -r _; do :; done
            i=0; while [ $i -lt 50 ] && pkill -KILL -U "$uids" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
            rm -rf "\(scratchPrefix)"*
            """
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // The guardian holds the block's lock until it has cleaned up.
        posix_spawn_file_actions_adddup2(&actions, lockDescriptor, 3)
        // It lives as long as the process: a descriptor of ours it inherited would stay open as
        // long — a CI run hung reading a helper's output whose write end the guardian held.
        InheritedDescriptors.closeAll(from: 4, in: &actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own session: a Ctrl-C or a group kill aimed at us must not reach it.
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetSID))
        let arguments = ["/bin/sh", "-c", script]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = [strdup("PATH=/usr/bin:/bin"), nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(ends[0])
        guard status == 0 else {
            close(ends[1])
            throw SandboxError.spawnFailed(program: "/bin/sh (sandbox guardian)", errno: status)
        }
        return ends[1]
    }

    /// SIGKILL to every process whose real uid is in `uids` (we are root when uids are used).
    static func killProcesses(uids: Range<UInt32>) {
        for _ in 0..<5 {
            var found = false
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry), let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
                      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
                      let uid = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap({ UInt32($0) }),
                      uids.contains(uid)
                else { continue }
                kill(pid, SIGKILL)
                found = true
            }
            if !found { return }
            usleep(50_000)
        }
    }

    /// glibc's POSIX_SPAWN_SETSID (2.26+), which Swift's Glibc module does not export.
    private static let spawnSetSID: Int32 = 0x80

    private static func removeFolders(prefix: String) {
        let folder = (prefix as NSString).deletingLastPathComponent
        let stem = (prefix as NSString).lastPathComponent
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(stem) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }
}
