import Foundation
import InoculationGate

/// Prints run progress to standard error: on a terminal one line rewritten in
/// place (at most ten times a second); elsewhere — a CI log — a plain line
/// every `interval` seconds, so logs show the run is alive without flooding.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal: Bool
    private let interval: Double
    private var lastPrinted = Date.distantPast
    private var last: RunProgress?
    private var lineOpen = false

    init(isTerminal: Bool = isatty(STDERR_FILENO) == 1, interval: Double = 5) {
        self.isTerminal = isTerminal
        self.interval = interval
    }

    /// Takes one progress report (called from any thread).
    func update(_ progress: RunProgress) {
        lock.lock()
        defer { lock.unlock() }
        // Reports may arrive out of order or repeat a count (several answers can finish
        // while one report is being made); show each count once and never a step back.
        if let last, last.phase == progress.phase, progress.done <= last.done { return }
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
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if lineOpen { write("\n") }
        lineOpen = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
