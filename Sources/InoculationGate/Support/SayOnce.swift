import Foundation

/// Passes each distinct message on once: subjects on one endpoint each check it, and
/// one slow server is one note, not one per subject.
final class SayOnce: @unchecked Sendable {
    // Guarded by `lock`: providers report from many tasks at once.
    private let lock = NSLock()
    private var said: Set<String> = []
    private let say: @Sendable (String) -> Void

    init(_ say: @escaping @Sendable (String) -> Void) { self.say = say }

    func callAsFunction(_ message: String) {
        let first = lock.withLock { said.insert(message).inserted }
        if first { say(message) }
    }
}
