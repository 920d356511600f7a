import Foundation

/// How far a run has got, reported while it generates and judges.
public struct RunProgress: Sendable, Hashable {
    public enum Phase: String, Sendable { case generating, judging }

    public var phase: Phase
    /// Answers finished (cached ones included) out of `total`.
    public var done: Int
    public var total: Int
    /// Answers served from the response cache.
    public var cached: Int
    /// Requests that failed so far, retried or not.
    public var failedAttempts: Int
    /// Seconds since the phase started.
    public var elapsed: Double

    public init(phase: Phase, done: Int, total: Int, cached: Int, failedAttempts: Int, elapsed: Double) {
        self.phase = phase
        self.done = done
        self.total = total
        self.cached = cached
        self.failedAttempts = failedAttempts
        self.elapsed = elapsed
    }

    /// Answers per second asked of a model (cache hits excluded: they are free).
    public var rate: Double { elapsed > 0 ? Double(done - cached) / elapsed : 0 }

    /// Seconds left at the current rate, when there is a rate to go by.
    public var remaining: Double? {
        guard rate > 0 else { return nil }
        return Double(total - done) / rate
    }

    /// One line: `generating 120/360 (33%) · 14.2/s · ETA 17s · 40 cached · 2 failed attempts`.
    public var line: String {
        let percent = total > 0 ? Int((Double(done) / Double(total) * 100).rounded(.down)) : 100
        var parts = ["\(phase.rawValue) \(done)/\(total) (\(percent)%)", String(format: "%.1f/s", rate)]
        if done < total { parts.append("ETA " + (remaining.map(Self.duration) ?? "?")) }
        parts.append("\(cached) cached")
        parts.append("\(failedAttempts) failed attempt\(failedAttempts == 1 ? "" : "s")")
        return parts.joined(separator: " · ")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

/// Counts finished answers and passes snapshots to the run's progress callback.
actor ProgressTracker {
    private var progress: RunProgress
    private let started = Date()
    private let report: (@Sendable (RunProgress) -> Void)?
    private let failures: @Sendable () async -> Int

    init(phase: RunProgress.Phase, total: Int, report: (@Sendable (RunProgress) -> Void)?, failures: @escaping @Sendable () async -> Int) {
        progress = RunProgress(phase: phase, done: 0, total: total, cached: 0, failedAttempts: 0, elapsed: 0)
        self.report = report
        self.failures = failures
    }

    func add(done: Int, cached: Int = 0) async {
        progress.done += done
        progress.cached += cached
        guard let report else { return }
        progress.failedAttempts = await failures()
        progress.elapsed = Date().timeIntervalSince(started)
        report(progress)
    }
}
