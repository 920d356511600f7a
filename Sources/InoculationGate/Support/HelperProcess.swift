import Foundation

/// Runs a short-lived helper program — the interpreter lookup, Bandit, git,
/// bubblewrap's probe — and collects its output without blocking Swift's
/// cooperative pool: the wait and the reads happen on dedicated threads, and
/// the caller is resumed when the program has ended.
///
/// Model-written code never goes through here; it runs in the ``Sandbox``.
package enum HelperProcess {
    package struct Output: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
        package var succeeded: Bool { status == 0 }
    }

    /// Runs `executable` (an absolute path) with `arguments`; throws when it cannot start.
    package static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try runBlocking(executable, arguments, environment: environment, directory: directory) })
            }
            thread.start()
        }
    }

    /// Runs `executable` and waits for it on the calling thread, for synchronous callers
    /// (reading a suite): the program is started and waited for on a thread of its own,
    /// so the wait is a wait for its exit, not a poll and not a spinning run loop.
    package static func runWaiting(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) throws -> Output {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        Thread {
            box.result = Result { try runBlocking(executable, arguments, environment: environment, directory: directory) }
            done.signal()
        }.start()
        done.wait()
        return try box.result!.get()
    }

    /// Handed from the helper's thread to the waiting one; the semaphore orders the accesses.
    private final class ResultBox: @unchecked Sendable {
        var result: Result<Output, Error>?
    }

    private static func runBlocking(
        _ executable: String, _ arguments: [String], environment: [String: String]?, directory: String?
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes are drained at once: one that fills while the other is read would stall the helper.
        let errors = ErrorReader(err.fileHandleForReading)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.wait()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// Reads a pipe to its end on a thread of its own.
    private final class ErrorReader: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var data = Data()

        init(_ handle: FileHandle) {
            Thread {
                self.data = handle.readDataToEndOfFile()
                self.done.signal()
            }.start()
        }

        func wait() -> Data {
            done.wait()
            return data
        }
    }
}
