/// Resource limits for one run of model-written code.
package struct SandboxLimits: Sendable, Hashable {
    /// Wall-clock seconds before the whole process group is killed.
    package var wallSeconds: Double = 10
    /// CPU seconds (RLIMIT_CPU); keep it above the wall limit so that a busy loop
    /// is reported as a wall-clock timeout, the limit a researcher sets.
    package var cpuSeconds: Int = 11
    /// Address space in bytes (RLIMIT_AS): a memory bomb fails with MemoryError.
    package var memoryBytes: Int = 1 << 30
    /// Processes of the sandbox user (RLIMIT_NPROC): a fork bomb stops here.
    package var processes: Int = 256
    /// Open file descriptors (RLIMIT_NOFILE).
    package var openFiles: Int = 64
    /// Largest file the program may write, output files included (RLIMIT_FSIZE).
    package var fileSizeBytes: Int = 16 << 20
    /// Size of the writable scratch directory (a tmpfs under bubblewrap).
    package var scratchBytes: Int = 64 << 20
    /// Bytes of stdout and stderr kept for the report.
    package var keptOutputBytes: Int = 64 << 10

    package init() {}
}
