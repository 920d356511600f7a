import NIOCore

/// Runs the jobs of tasks that prefer it on one event loop.
///
/// A task awaiting an exchange from Swift's task pool is resumed by the loop through
/// a thread switch (and the loop is woken by another); a task that prefers the loop's
/// executor is resumed on the loop itself, within the same turn. Only short,
/// non-blocking work should prefer it: everything on it shares one thread.
package final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
