import Foundation

/// Keeps the process's own descriptors out of the programs it spawns.
///
/// Descriptors opened without close-on-exec (a pipe of a helper being read, a connection, a
/// log) would otherwise reach every program spawned meanwhile, and one that outlives its
/// owner's use — a warm worker lives for the whole run — keeps a pipe's reader waiting for
/// an end that never comes (a test run hung on a helper's output this way).
enum InheritedDescriptors {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later); not visible to Swift's
    /// Glibc module, so looked up once by name.
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Adds to `actions` the closing of every descriptor from 3 up, after the actions before it
    /// (which place the program's own streams at 0, 1 and 2). Without the glibc call, every
    /// descriptor of this process from 3 up is marked close-on-exec instead (the streams a child
    /// gets through `dup2` are not affected: a duplicate does not inherit the mark).
    static func closeAll(from first: Int32 = 3, in actions: inout posix_spawn_file_actions_t) {
        if let closeFrom, closeFrom(&actions, first) == 0 { return }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let descriptor = Int32(name), descriptor >= first else { continue }
            _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
        }
    }
}
