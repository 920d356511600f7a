import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens input files the tool reads — suites, profiles, probe data, recorded data,
/// batch output — only when they are regular files (after links): a FIFO would block a
/// read forever, and `/dev/zero` or `/dev/urandom` never end. Opening itself never
/// blocks (`O_NONBLOCK` until the type is known).
package enum RegularFile {
    /// Why a path cannot be read as a file, in a user's words.
    package struct Problem: Error, CustomStringConvertible {
        package var path: String
        package var reason: String
        package var description: String { "\(TextSafety.visible(path)): \(reason)" }
    }

    /// A handle for reading `path`, which must be a regular file.
    package static func open(_ path: String) throws(Problem) -> FileHandle {
        let descriptor = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            var info = stat()
            if code == ENOENT, lstat(path, &info) == 0 { throw Problem(path: path, reason: "a link to something that does not exist") }
            switch code {
            case ENOENT: throw Problem(path: path, reason: "no such file")
            case EACCES: throw Problem(path: path, reason: "permission denied")
            case ENXIO: throw Problem(path: path, reason: "a socket or a device, not a regular file")
            default: throw Problem(path: path, reason: String(cString: strerror(code)))
            }
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw Problem(path: path, reason: String(cString: strerror(code)))
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(descriptor)
            throw Problem(path: path, reason: "\(describe(kind)), not a regular file")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// The whole of `path` (a regular file of at most `limit` bytes).
    package static func contents(_ path: String, limit: Int = 64 << 20) throws(Problem) -> Data {
        let handle = try open(path)
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw Problem(path: path, reason: error.localizedDescription)
        }
        guard data.count <= limit else { throw Problem(path: path, reason: "larger than \(limit >> 20) MiB, more than this kind of file may be") }
        return data
    }

    private static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a file"
        }
    }
}
