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
    /// Set on a heartbeat: seconds since the last answer arrived (or the phase began).
    public var waiting: Double?
    /// What is being waited for (the endpoints asked), on a heartbeat.
    public var waitingFor: String?
    /// Why the last failed attempt failed, in a few words.
    public var lastFailure: String?

    public init(
        phase: Phase, done: Int, total: Int, cached: Int, failedAttempts: Int, elapsed: Double,
        waiting: Double? = nil, waitingFor: String? = nil, lastFailure: String? = nil
    ) {
        self.phase = phase
        self.done = done
        self.total = total
        self.cached = cached
        self.failedAttempts = failedAttempts
        self.elapsed = elapsed
        self.waiting = waiting
        self.waitingFor = waitingFor
        self.lastFailure = lastFailure
    }

    /// Whether this report only says the run is alive (nothing new arrived).
    public var isHeartbeat: Bool { waiting != nil }

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
        if failedAttempts > 0, let lastFailure { parts[parts.count - 1] += " (last: \(lastFailure))" }
        if let waiting {
            parts.append("waiting \(Self.duration(waiting))" + (waitingFor.map { " for \($0)" } ?? ""))
        }
        return parts.joined(separator: " · ")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

/// Counts finished answers and passes snapshots to the run's progress callback;
/// while nothing arrives it sends a heartbeat every few seconds, so a run that
/// waits on a slow or failing endpoint says so instead of sitting silent.
actor ProgressTracker {
    /// Failed attempts so far and the last one's cause.
    typealias Failures = @Sendable () async -> (count: Int, last: String?)

    private var progress: RunProgress
    private let started = Date()
    private var lastAnswer = Date()
    private let report: (@Sendable (RunProgress) -> Void)?
    private let failures: Failures
    private var heartbeat: Task<Void, Never>?

    init(phase: RunProgress.Phase, total: Int, report: (@Sendable (RunProgress) -> Void)?, failures: @escaping Failures) {
        progress = RunProgress(phase: phase, done: 0, total: total, cached: 0, failedAttempts: 0, elapsed: 0)
        self.report = report
        self.failures = failures
    }

    func add(done: Int, cached: Int = 0) async {
        progress.done += done
        progress.cached += cached
        lastAnswer = Date()
        guard let report else { return }
        await refresh()
        progress.waiting = nil
        report(progress)
    }

    /// Starts the heartbeat: every `interval` seconds without an answer, one report saying
    /// what is awaited (`waitingFor`), for how long, and how attempts have failed.
    func startHeartbeat(every interval: Double = 3, waitingFor: String?) {
        guard report != nil, heartbeat == nil else { return }
        progress.waitingFor = waitingFor
        heartbeat = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                guard !Task.isCancelled, let self else { return }
                await self.beat(after: interval)
            }
        }
    }

    func stop() {
        heartbeat?.cancel()
        heartbeat = nil
    }

    private func beat(after interval: Double) async {
        let quiet = Date().timeIntervalSince(lastAnswer)
        guard quiet >= interval * 0.9, progress.done < progress.total, let report else { return }
        await refresh()
        progress.waiting = quiet
        report(progress)
    }

    private func refresh() async {
        let failed = await failures()
        progress.failedAttempts = failed.count
        progress.lastFailure = failed.last
        progress.elapsed = Date().timeIntervalSince(started)
    }
}
