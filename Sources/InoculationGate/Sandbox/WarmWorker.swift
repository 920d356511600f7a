import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One warm sandbox: bubblewrap started once with ``WarmSupervisor`` inside, running
/// many programs one after another.
///
/// Started from a dedicated thread that then waits for the worker's exit (blocking
/// `waitpid`) and so lives exactly as long as it: bubblewrap's `--die-with-parent`
/// is tied to the thread that forked it. Requests and replies are JSON lines over two
/// pipes; a reply is waited for with `poll` until the program's wall time plus a
/// margin, after which the whole worker is killed.
final class WarmWorker: @unchecked Sendable {
    /// The worker ended (or never answered) while running a program.
    struct Ended: Error, CustomStringConvertible {
        var description: String
        /// The worker could not be started at all: the harness's failure, not the program's.
        var startFailed = false
        /// The worker was gone before the program reached it: nothing ran, ask another worker.
        var beforeStart = false
    }

    let pid: pid_t
    /// The reserved uid the worker runs as, released when it is gone.
    private var uid: UInt32?
    private let requests: Int32
    private let replies: Int32
    private var buffer = [UInt8]()
    private let state = Mutex()

    private init(pid: pid_t, requests: Int32, replies: Int32) {
        self.pid = pid
        self.requests = requests
        self.replies = replies
    }

    deinit {
        stop()
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
        let started = DispatchSemaphore(value: 0)
        let spawned = Box<Swift.Result<pid_t, SandboxError>>(.failure(.spawnFailed(program: command[0], errno: 0)))
        let thread = Thread {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_adddup2(&actions, childIn, 0)
            posix_spawn_file_actions_adddup2(&actions, childOut, 1)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            // Nothing else of ours goes in: a worker lives long, and a descriptor it inherited (the
            // write end of another program's pipe, a connection, a log) stays open as long as it.
            InheritedDescriptors.closeAll(in: &actions)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            posix_spawnattr_setpgroup(&attributes, 0)
            var noSignals = sigset_t()
            sigemptyset(&noSignals)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            var defaults = sigset_t()
            sigfillset(&defaults)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            let argv = command.map { strdup($0) } + [nil]
            let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
            var child: pid_t = 0
            let code = posix_spawn(&child, command[0], &actions, &attributes, argv, envp)
            argv.forEach { free($0) }
            envp.forEach { free($0) }
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
            spawned.value = code == 0 ? .success(child) : .failure(.spawnFailed(program: command[0], errno: code))
            started.signal()
            guard code == 0 else { return }
            // Live as long as the worker: wait for it, blocking.
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }
        thread.start()
        started.wait()
        close(toChild[0])
        close(fromChild[1])
        let pid: pid_t
        switch spawned.value {
        case .success(let child): pid = child
        case .failure(let error):
            close(toChild[1])
            close(fromChild[0])
            throw error
        }
        let worker = WarmWorker(pid: pid, requests: toChild[1], replies: fromChild[0])
        worker.uid = uid
        guard let line = worker.readLine(timeout: timeout), line.contains("\"ready\": true") else {
            worker.stop()
            worker.uid = nil   // released by the caller
            throw Ended(description: "the warm sandbox did not start within \(Int(timeout)) s", startFailed: true)
        }
        return worker
    }

    /// Sends one request and waits for its reply (blocking; call from a dedicated thread).
    func run(_ request: [String: Any], timeout: Double) -> Swift.Result<[String: Any], Ended> {
        guard !isStopped else { return .failure(Ended(description: "the worker was stopped", beforeStart: true)) }
        guard var line = try? JSONSerialization.data(withJSONObject: request) else { return .failure(Ended(description: "unencodable request")) }
        line.append(0x0A)
        let written = line.withUnsafeBytes { bytes -> Bool in
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
        guard let reply = readLine(timeout: timeout) else {
            stop()
            return .failure(Ended(description: "the sandbox worker ended while running it (the program ended its sandbox, or it ran far past its limits)"))
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(reply.utf8))) as? [String: Any] else {
            stop()
            return .failure(Ended(description: "the worker's reply was not understood"))
        }
        return .success(object)
    }

    /// Kills the worker and everything in its namespace.
    func stop() {
        state.withLock { stopped in
            guard !stopped else { return }
            stopped = true
            kill(pid, SIGKILL)
        }
    }

    var isStopped: Bool { state.withLock { $0 } }

    /// One line from the worker, waiting with `poll` until `timeout`; nil at EOF or timeout.
    private func readLine(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var descriptor = pollfd(fd: replies, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000, Double(Int32.max)).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(replies, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    private final class Mutex: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        func withLock<T>(_ body: (inout Bool) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(&stopped)
        }
    }

    private final class Box<T>: @unchecked Sendable {
        var value: T
        init(_ value: T) { self.value = value }
    }
}
