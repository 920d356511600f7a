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
    private let command: @Sendable () throws -> [String]
    /// The supervisor's source, written once where the sandbox's uid can read it.
    let supervisorPath: String

    init(command: @escaping @Sendable (_ supervisor: String) throws -> [String]) throws {
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

    /// Runs one request on a worker, on a dedicated thread (the reply is waited for by
    /// blocking), starting a worker when none is idle. `timeout` bounds the wait for the reply.
    func run(_ request: [String: Any], timeout: Double) async -> Swift.Result<[String: Any], WarmWorker.Ended> {
        let request = UncheckedRequest(value: request)
        return await withCheckedContinuation { continuation in
            Thread { [self] in
                let worker: WarmWorker
                do {
                    worker = try self.take()
                } catch {
                    continuation.resume(returning: .failure(WarmWorker.Ended(description: "cannot start a warm sandbox: \(error)", startFailed: true)))
                    return
                }
                let reply = worker.run(request.value, timeout: timeout)
                if case .success = reply, !worker.isStopped { self.give(back: worker) }
                continuation.resume(returning: reply)
            }.start()
        }
    }

    private func take() throws -> WarmWorker {
        if let worker = lock.withLock({ idle.popLast() }) { return worker }
        return try WarmWorker.start(try command())
    }

    private func give(back worker: WarmWorker) {
        lock.withLock { idle.append(worker) }
    }

    private struct UncheckedRequest: @unchecked Sendable { var value: [String: Any] }
}
