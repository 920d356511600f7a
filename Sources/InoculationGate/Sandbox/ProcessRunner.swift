import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one untrusted program with a wall-clock limit, in its own process
/// group so that the whole group — children included — is killed when the
/// program ends or overruns. Output goes to files (no pipe can fill and
/// deadlock) and is read back up to a cap.
package struct ProcessRunner: Sendable {
    /// How a run ended.
    package struct Result: Sendable, Hashable {
        package enum Termination: Sendable, Hashable {
            case exited(Int32)
            case signalled(Int32)
            case timedOut
            /// Stopped because the watchdog said so (e.g. its scratch folder grew too large).
            case stoppedByWatchdog
        }

        package var termination: Termination
        package var stdout: String
        package var stderr: String
        package var seconds: Double
        /// User + system CPU seconds of the program and the children it waited for.
        package var cpuSeconds: Double = 0
    }

    /// Most bytes of each output stream kept.
    package var outputCap: Int = 64 * 1024

    package init() {}

    /// Runs `arguments[0]` (an absolute path) with `arguments[1...]`, in
    /// `directory`, with exactly `environment`, for at most `timeLimit` seconds.
    ///
    /// `watchdog`, when given, is called about every 50 ms while the program runs;
    /// when it returns true the process group is killed.
    package func run(
        _ command: [String], directory: String, environment: [String: String], timeLimit: Double,
        watchdog: (@Sendable () -> Bool)? = nil
    ) async throws -> Result {
        // `env -C` changes directory in the child: glibc's spawn-chdir is not visible to Swift.
        let arguments = ["/usr/bin/env", "-C", directory, "--"] + command
        let stdoutPath = directory + "/.stdout", stderrPath = directory + "/.stderr"
        let start = Date()
        let state = WaitState()
        let deadline = start.addingTimeInterval(timeLimit)
        // Spawn, wait, time and watch on one dedicated OS thread that lives until the program
        // has ended. Not on a shared pool: under load a pool (Swift's or Dispatch's) can be
        // starved for seconds, and a limit must fire on time. Nor spawned from a pool thread:
        // a parent-death signal (bubblewrap's `--die-with-parent`) is tied to the *thread*
        // that forked, and an idle pool thread exits after a few seconds — which killed every
        // program that ran longer than that.
        let ended: Swift.Result<(status: Int32, cpu: Double), SandboxError> = await withCheckedContinuation { continuation in
            let reaper = Thread {
                continuation.resume(returning: Self.spawnAndWait(
                    arguments, environment: environment, stdout: stdoutPath, stderr: stderrPath,
                    deadline: deadline, watchdog: watchdog, state: state))
            }
            reaper.start()
        }
        let (waitStatus, cpu) = try ended.get()
        let termination: Result.Termination =
            state.stoppedByWatchdog ? .stoppedByWatchdog : (state.timedOut ? .timedOut : Self.decode(waitStatus))
        return Result(
            termination: termination, stdout: readCapped(stdoutPath), stderr: readCapped(stderrPath),
            seconds: Date().timeIntervalSince(start), cpuSeconds: cpu)
    }

    /// Starts the program in its own process group and waits for it on the calling thread,
    /// killing the group at the deadline or when the watchdog says so.
    private static func spawnAndWait(
        _ arguments: [String], environment: [String: String], stdout: String, stderr: String,
        deadline: Date, watchdog: (@Sendable () -> Bool)?, state: WaitState
    ) -> Swift.Result<(status: Int32, cpu: Double), SandboxError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // The program gets its three streams and nothing else of ours (another pipe's write end
        // kept open by it would keep that pipe's reader waiting).
        InheritedDescriptors.closeAll(in: &actions)

        var attributes = posix_spawnattr_t()
        Self.initSpawnAttributes(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let code = posix_spawn(&child, arguments[0], &actions, &attributes, argv, envp)
        guard code == 0 else { return .failure(SandboxError.spawnFailed(program: arguments[0], errno: code)) }

        let started = child
        // The limits run on a thread of their own and sleep until the deadline or the next look
        // of the watchdog, woken at once when the program ends; this thread blocks until the
        // program exits. Nothing polls for the exit.
        let limits = Thread {
            while true {
                let next = watchdog == nil ? deadline : min(deadline, Date().addingTimeInterval(0.05))
                if state.waitForFinish(until: next) { return }
                var byWatchdog = false
                var stop = Date() >= deadline
                if !stop, let watchdog {
                    byWatchdog = watchdog()
                    stop = byWatchdog
                }
                if stop {
                    state.expire(watchdog: byWatchdog) { kill(-started, SIGKILL) }
                    return
                }
            }
        }
        limits.start()
        // Waited for without reaping (WNOWAIT): until the parent reaps it, the program's id and
        // its group's cannot be given to another process, so the kills below reach only its group.
        var info = siginfo_t()
        while waitid(P_PID, id_t(child), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        state.finish()
        // Stragglers the program left in its group die with it.
        kill(-child, SIGKILL)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(child, &status, 0, &usage) < 0 && errno == EINTR {}
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return .success((status, seconds(usage.ru_utime) + seconds(usage.ru_stime)))
    }

    /// Whether the program finished, or a limit stopped it first.
    private final class WaitState: @unchecked Sendable {
        private let lock = NSCondition()
        private var finished = false
        private var expired = false
        private var watchdogFired = false

        func finish() {
            lock.withLock {
                finished = true
                lock.broadcast()
            }
        }

        /// Sleeps until the program has finished (true) or `date` has come (false).
        func waitForFinish(until date: Date) -> Bool {
            lock.withLock {
                while !finished, lock.wait(until: date) {}
                return finished
            }
        }

        /// Runs `kill` unless the program already finished or was already stopped.
        func expire(watchdog: Bool = false, _ kill: () -> Void) {
            lock.withLock {
                guard !finished, !expired else { return }
                expired = true
                watchdogFired = watchdog
                kill()
            }
        }

        var timedOut: Bool { lock.withLock { expired && !watchdogFired } }
        var stoppedByWatchdog: Bool { lock.withLock { watchdogFired } }
    }

    private static func decode(_ status: Int32) -> Result.Termination {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    private func readCapped(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: outputCap)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The sandbox could not run a program at all (as opposed to the program failing).
package enum SandboxError: Error, Sendable, CustomStringConvertible {
    case spawnFailed(program: String, errno: Int32)
    case noInterpreter(String)

    package var description: String {
        switch self {
        case let .spawnFailed(program, code):
            return "cannot start \(program): \(String(cString: strerror(code)))"
        case .noInterpreter(let detail):
            return "no Python interpreter: \(detail)"
        }
    }
}

extension ProcessRunner {
    /// Initializes spawn attributes for a sandboxed process: a process group of its own (so
    /// the whole group can be killed), no blocked signals and every signal at its default,
    /// whatever this process has set. Destroy them after spawning.
    static func initSpawnAttributes(_ attributes: inout posix_spawnattr_t) {
        posix_spawnattr_init(&attributes)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
    }
}
