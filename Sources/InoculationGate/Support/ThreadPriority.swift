#if canImport(Glibc)
import Glibc
#endif

/// The scheduling priority of the calling thread. On Linux a thread's policy and nice value
/// are its own; elsewhere they belong to the whole process, which must keep its own, so
/// nothing is changed there.
package enum ThreadPriority {
    /// Linux's `SCHED_IDLE`: run only when no ordinary thread wants the core.
    private static let idlePolicy: Int32 = 5

    /// The calling thread runs only on cores nothing else wants (`SCHED_IDLE`), or at the
    /// lowest nice value where that policy is refused.
    package static func idle() {
        #if os(Linux)
        var parameters = sched_param()
        parameters.sched_priority = 0
        if sched_setscheduler(0, idlePolicy, &parameters) != 0 { lower(to: 19) }
        #endif
    }

    /// The calling thread's nice value becomes `niceness` (it can only be raised: lowering it
    /// again needs privileges).
    package static func lower(to niceness: Int32) {
        #if os(Linux)
        // `who` 0 is the calling thread: under Linux's threads a nice value is per thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }

    /// The calling thread's priority: whether it runs as idle, and its nice value (nil
    /// where priorities are not per thread).
    package static var current: (idle: Bool, niceness: Int32)? {
        #if os(Linux)
        errno = 0
        let niceness = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        return (sched_getscheduler(0) == idlePolicy, niceness)
        #else
        return nil
        #endif
    }
}
