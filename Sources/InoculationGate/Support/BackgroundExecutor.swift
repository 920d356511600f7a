import Foundation

/// A thread of its own for a run's work beside its requests — scoring answers and counting
/// them into measures while more answers are being asked — that runs only on cores nothing
/// else wants (Linux's `SCHED_IDLE`; see ``ThreadPriority``). Samples are stored by a
/// ``SampleWriter`` of their own.
///
/// Against a model server on the same machine, the request loop is a run's critical path,
/// and a core taken by scoring slows every request in flight. On an idle thread, scoring
/// fills the gaps the loop and the server leave, and runs at full speed once the
/// requests are done: the work is the same, its place in the queue is not. Processes
/// inherit a thread's policy, so scorers that start programs or tools run on the global
/// executor instead.
package final class BackgroundExecutor: TaskExecutor, @unchecked Sendable {
    /// The process's background executor. One thread: a run's scoring is one task, whose
    /// jobs come one after another, and each thread that allocates gets an allocator arena of
    /// its own (a second thread raised the peak of a 1,000,000-sample run by about 10 MB).
    package static let shared = BackgroundExecutor(threads: 1)

    private let condition = NSCondition()
    /// Jobs not yet taken, first in first out (guarded by `condition`).
    private var jobs: [UnownedJob] = []

    init(threads: Int) {
        for _ in 0..<max(1, threads) {
            Thread { [self] in serve() }.start()
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        ThreadPriority.idle()
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
