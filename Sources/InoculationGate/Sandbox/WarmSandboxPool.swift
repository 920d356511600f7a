import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Warm sandbox workers for one ``Sandbox``: a worker is started the first time it is
/// needed and kept for the next program, so programs run at once never exceed the
/// caller's own parallelism and a run pays bubblewrap's and the interpreter's start-up
/// once per worker, not once per program. A worker a program ended is replaced.
final class WarmSandboxPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [WarmWorker] = []
    private var failedToStart = false

    /// Set when a worker could not start: the sandbox runs programs the cold way instead.
    var unavailable: Bool {
        get { lock.withLock { failedToStart } }
        set { lock.withLock { failedToStart = newValue } }
    }
    private let command: @Sendable () throws -> ([String], UInt32?)
    /// The supervisor's source, written once where the sandbox's uid can read it.
    let supervisorPath: String

    /// `command` builds a worker's command line and says which reserved uid it runs as
    /// (released when the worker ends).
    init(command: @escaping @Sendable (_ supervisor: String) throws -> ([String], UInt32?)) throws {
        let folder = FileManager.default.temporaryDirectory.path + "/ipgate-warm-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        chmod(folder, 0o755)
        let path = folder + "/supervisor.py"
        try WarmSupervisor.source.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o644)
        supervisorPath = path
        self.command = { try command(path) }
    }

    deinit {
        for worker in idle { worker.stop() }
        try? FileManager.default.removeItem(atPath: (supervisorPath as NSString).deletingLastPathComponent)
    }

    /// Runs one request on a worker, starting a worker when none is idle. `timeout` bounds
    /// the wait for the reply.
    func run(_ request: WarmWorker.Request, timeout: Double) async -> Swift.Result<WarmWorker.Reply, WarmWorker.Ended> {
        // An idle worker found dead before the program reached it ran nothing: try another.
        var reply: Swift.Result<WarmWorker.Reply, WarmWorker.Ended> = .failure(WarmWorker.Ended(description: "no worker"))
        for _ in 0..<3 {
            let worker: WarmWorker
            do {
                worker = try await take()
            } catch {
                return .failure(WarmWorker.Ended(description: "cannot start a warm sandbox: \(error)", startFailed: true))
            }
            reply = await worker.run(request, timeout: timeout)
            if case .success = reply, !worker.isStopped { give(back: worker) }
            if case .failure(let ended) = reply, ended.beforeStart { continue }
            break
        }
        return reply
    }

    /// An idle worker, or a new one: started on a thread of its own, since starting waits
    /// (blocking) for the worker's ready line.
    private func take() async throws -> WarmWorker {
        if let worker = lock.withLock({ idle.popLast() }) { return worker }
        return try await withCheckedThrowingContinuation { continuation in
            Thread { [self] in
                continuation.resume(with: Swift.Result { try self.startWorker() })
            }.start()
        }
    }

    private func startWorker() throws -> WarmWorker {
        let (line, uid) = try command()
        do {
            return try WarmWorker.start(line, uid: uid)
        } catch {
            if let uid { UIDPool.shared.release(uid) }
            throw error
        }
    }

    private func give(back worker: WarmWorker) {
        lock.withLock { idle.append(worker) }
    }
}
