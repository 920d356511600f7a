import Foundation

/// Prints run progress to standard error: on a terminal one line rewritten in
/// place (at most ten times a second); elsewhere — a CI log — a plain line
/// every `interval` seconds, so logs show the run is alive without flooding.
package final class ProgressPrinter: @unchecked Sendable {
    // State is guarded by `lock`: reports come from many tasks at once.
    private let lock = NSLock()
    private let isTerminal: Bool
    private let interval: Double
    private let output: @Sendable (String) -> Void
    private var lastPrinted = Date.distantPast
    private var last: RunProgress?
    private var lineOpen = false

    /// - Parameters:
    ///   - isTerminal: rewrite one line in place (default: whether standard error is a terminal).
    ///   - interval: seconds between plain lines when not on a terminal.
    ///   - output: where text goes (default: standard error).
    package init(
        isTerminal: Bool = isatty(STDERR_FILENO) == 1, interval: Double = 5,
        output: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(TextSafety.visibleLines($0).utf8)) }
    ) {
        self.isTerminal = isTerminal
        self.interval = interval
        self.output = output
    }

    /// Takes one progress report (called from any thread).
    package func update(_ progress: RunProgress) {
        lock.lock()
        defer { lock.unlock() }
        // Reports may arrive out of order or repeat a count (several answers can finish
        // while one report is being made); show each count once and never a step back.
        // A heartbeat repeats the count on purpose: it says the run is alive.
        if let last, last.phase == progress.phase, progress.done <= last.done, !progress.isHeartbeat { return }
        let phaseChanged = last?.phase != progress.phase
        last = progress
        let finished = progress.done == progress.total
        let now = Date()
        guard phaseChanged || finished || now.timeIntervalSince(lastPrinted) >= (isTerminal ? 0.1 : interval) else { return }
        lastPrinted = now
        if isTerminal {
            if phaseChanged && lineOpen { write("\n") }
            write("\r\u{1b}[2K" + progress.line + (finished ? "\n" : ""))
            lineOpen = !finished
        } else if !phaseChanged || progress.done > 0 || finished {
            write("ipgate: " + progress.line + "\n")
        }
    }

    /// Ends an open terminal line (before the report is printed).
    package func finish() {
        lock.lock()
        defer { lock.unlock() }
        if lineOpen { write("\n") }
        lineOpen = false
    }

    private func write(_ text: String) { output(text) }
}
