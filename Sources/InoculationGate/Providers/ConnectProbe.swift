import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection attempt, to tell "nothing is listening" at once. The HTTP
/// client retries a refused connection until its deadline (seconds), which is
/// right for a server that is starting and wrong for a port nobody serves.
enum ConnectProbe {
    /// True when every address of `host`:`port` refused the connection within
    /// `timeout` seconds; false when one accepted, did not answer in time, or the
    /// host did not resolve (the HTTP check explains those).
    static func refused(host: String, port: Int, timeout: Double = 1) async -> Bool {
        // Resolving and connecting block: on a thread of their own, not the cooperative pool.
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: refusedBlocking(host: host, port: port, timeout: timeout)) }.start()
        }
    }

    private static func refusedBlocking(host: String, port: Int, timeout: Double) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(list) }
        var refusedAll = true
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            defer { entry = address.pointee.ai_next }
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return false }
            if errno == ECONNREFUSED { continue }
            guard errno == EINPROGRESS else { refusedAll = false; continue }
            var waiting = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&waiting, 1, Int32(timeout * 1000)) == 1 else { return false }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != ECONNREFUSED { return false }
        }
        return refusedAll
    }
}
