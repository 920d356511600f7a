import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One warm sandbox: bubblewrap started once with ``WarmSupervisor`` inside, running
/// many programs one after another.
///
/// One thread of its own starts the worker, then serves its programs one at a time and,
/// once the worker is stopped, reaps it: bubblewrap's `--die-with-parent` is tied to the
/// thread that started it, so that thread lives exactly as long as the worker. (A thread
/// per program cost a thread's start and end each time.) Requests and replies are JSON
/// lines over two pipes; a reply is waited for with `poll` until the program's wall time
/// plus a margin, after which the whole worker is killed.
final class WarmWorker: @unchecked Sendable {
    /// The worker ended (or never answered) while running a program.
    struct Ended: Error, CustomStringConvertible {
        var description: String
        /// The worker could not be started at all: the harness's failure, not the program's.
        var startFailed = false
        /// The worker was gone before the program reached it: nothing ran, ask another worker.
        var beforeStart = false
    }

    /// One program and the limits its child is given.
    struct Request: Sendable {
        var program: String
        var limits: SandboxLimits

        /// The request's JSON line, written directly: through `JSONSerialization` it cost
        /// ~65 µs, a third of the harness's own work per warm program.
        func line() -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(program.utf8.count + 160)
            out.append(contentsOf: #"{"program":"#.utf8)
            JSONBytes.string(program, into: &out)
            let numbers: [(String, Double)] = [
                ("wall", limits.wallSeconds), ("memory", Double(limits.memoryBytes)), ("cpu", Double(limits.cpuSeconds)),
                ("processes", Double(limits.processes)), ("files", Double(limits.openFiles)),
                ("fsize", Double(limits.fileSizeBytes)), ("cap", Double(limits.keptOutputBytes)),
            ]
            for (key, value) in numbers {
                out.append(contentsOf: ",\"\(key)\":".utf8)
                JSONBytes.number(value, into: &out)
            }
            out.append(contentsOf: "}\n".utf8)
            return out
        }
    }

    /// How a program ended, in the supervisor's words (see ``WarmSupervisor``).
    struct Reply: Decodable, Sendable {
        /// `exited`, `signalled` or `timeout`.
        var status: String
        /// The exit status or the signal.
        var code: Int
        var seconds: Double
        var cpu: Double
        var stdout: String
        var stderr: String
        var stdoutBytes: Int
        var stderrBytes: Int
    }

    private struct Job {
        var line: [UInt8]
        var timeout: Double
        var done: (Swift.Result<Reply, Ended>) -> Void
    }

    /// Set by the worker's thread before ``start(_:uid:timeout:)`` returns.
    private(set) var pid: pid_t = 0
    /// The reserved uid the worker runs as, released when it is gone.
    private var uid: UInt32?
    private let requests: Int32
    private let replies: Int32
    // The worker's thread's alone (and the starting thread's, before the first job).
    private var buffer = [UInt8]()
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private let decoder = JSONDecoder()
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var job: Job?
    private var stopped = false

    private init(requests: Int32, replies: Int32) {
        self.requests = requests
        self.replies = replies
    }

    deinit {
        close(requests)
        close(replies)
        if let uid { UIDPool.shared.release(uid) }
    }

    /// Starts `command` and waits (up to `timeout` seconds) for the supervisor's ready line.
    static func start(_ command: [String], uid: UInt32? = nil, timeout: Double = 20) throws -> WarmWorker {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        // Close-on-exec at once (pipe2 is not visible to Swift here): no other program spawned
        // meanwhile keeps an end open, which would hide the worker's end from us.
        guard pipe(&toChild) == 0 else { throw SandboxError.spawnFailed(program: command[0], errno: errno) }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0])
            close(toChild[1])
            throw SandboxError.spawnFailed(program: command[0], errno: errno)
        }
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let childIn = toChild[0], childOut = fromChild[1]
        let worker = WarmWorker(requests: toChild[1], replies: fromChild[0])
        let started = DispatchSemaphore(value: 0)
        let spawnError = Box<SandboxError?>(nil)
        let thread = Thread {
            let code = spawn(command, stdin: childIn, stdout: childOut)
            if code.pid == 0 {
                spawnError.value = .spawnFailed(program: command[0], errno: code.error)
                started.signal()
                return
            }
            worker.pid = code.pid
            started.signal()
            worker.serve()
        }
        thread.start()
        started.wait()
        close(childIn)
        close(childOut)
        if let error = spawnError.value { throw error }
        worker.uid = uid
        guard let line = worker.readLine(timeout: timeout), line.contains("\"ready\": true") else {
            worker.stop()
            worker.uid = nil   // released by the caller
            throw Ended(description: "the warm sandbox did not start within \(Int(timeout)) s", startFailed: true)
        }
        return worker
    }

    /// Runs one program and waits for its reply (without holding a thread of the caller's).
    func run(_ request: Request, timeout: Double) async -> Swift.Result<Reply, Ended> {
        let line = request.line()
        return await withCheckedContinuation { continuation in
            condition.lock()
            guard !stopped else {
                condition.unlock()
                continuation.resume(returning: .failure(Ended(description: "the worker was stopped", beforeStart: true)))
                return
            }
            job = Job(line: line, timeout: timeout) { continuation.resume(returning: $0) }
            condition.signal()
            condition.unlock()
        }
    }

    /// Kills the worker and everything in its namespace; its thread then reaps it.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        stopped = true
        // Before the worker's thread can reap it (it reaps only once `stopped` is set, under
        // this lock), so the pid is still the worker's.
        kill(pid, SIGKILL)
        condition.broadcast()
    }

    var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// The worker's thread: one job at a time until stopped, then the worker is reaped.
    private func serve() {
        while true {
            condition.lock()
            while job == nil && !stopped { condition.wait() }
            let next = job
            job = nil
            let ending = stopped
            condition.unlock()
            guard let next else { break }
            guard !ending else {
                next.done(.failure(Ended(description: "the worker was stopped", beforeStart: true)))
                break
            }
            next.done(perform(next))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    private func perform(_ job: Job) -> Swift.Result<Reply, Ended> {
        let written = job.line.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let n = write(requests, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard written else {
            stop()
            return .failure(Ended(description: "the worker was gone before the program started", beforeStart: true))
        }
        guard let reply = readLine(timeout: job.timeout) else {
            stop()
            return .failure(Ended(description: "the sandbox worker ended while running it (the program ended its sandbox, or it ran far past its limits)"))
        }
        guard let decoded = try? decoder.decode(Reply.self, from: Data(reply.utf8)) else {
            stop()
            return .failure(Ended(description: "the worker's reply was not understood"))
        }
        return .success(decoded)
    }

    /// Starts the worker with the pipes as its stdin and stdout; pid 0 and the error on failure.
    private static func spawn(_ command: [String], stdin: Int32, stdout: Int32) -> (pid: pid_t, error: Int32) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else of ours goes in: a worker lives long, and a descriptor it inherited (the
        // write end of another program's pipe, a connection, a log) stays open as long as it.
        InheritedDescriptors.closeAll(in: &actions)
        var attributes = posix_spawnattr_t()
        ProcessRunner.initSpawnAttributes(&attributes)
        let argv = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        var child: pid_t = 0
        let code = posix_spawn(&child, command[0], &actions, &attributes, argv, envp)
        argv.forEach { free($0) }
        envp.forEach { free($0) }
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
        return code == 0 ? (child, 0) : (0, code)
    }

    /// One line from the worker, waiting with `poll` until `timeout`; nil at EOF or timeout.
    private func readLine(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var searched = 0
        while true {
            if let newline = buffer[searched...].firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            searched = buffer.count
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var descriptor = pollfd(fd: replies, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000, Double(Int32.max)).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return nil }
            let n = chunk.withUnsafeMutableBytes { read(replies, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    private final class Box<T>: @unchecked Sendable {
        var value: T
        init(_ value: T) { self.value = value }
    }
}
