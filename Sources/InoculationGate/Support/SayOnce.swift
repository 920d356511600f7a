import Foundation
import Synchronization

/// Passes each distinct message on once: subjects on one endpoint each check it, and
/// one slow server is one note, not one per subject.
final class SayOnce: @unchecked Sendable {
    // Guarded by `lock`: providers report from many tasks at once.
    private let lock = NSLock()
    private var said: Set<String> = []
    private let say: @Sendable (String) -> Void

    init(_ say: @escaping @Sendable (String) -> Void) { self.say = say }

    /// Messages said once per process, whoever passes them on: a test process runs many
    /// suites, and the sandbox's "not isolated" warning is the same for all of them.
    private static let saidInProcess = Mutex<Set<String>>([])

    static func oncePerProcess(_ message: String, _ say: (String) -> Void) {
        if saidInProcess.withLock({ $0.insert(message).inserted }) { say(message) }
    }

    func callAsFunction(_ message: String) {
        let first = lock.withLock { said.insert(message).inserted }
        if first { say(message) }
    }
}
