import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Without bubblewrap a program can write wherever the system lets any user write.
/// When each sample runs as a uid of its own, what that uid owns in the shared
/// writable folders is the sample's: counted against its scratch cap while it runs,
/// removed afterwards, and a failure of the sample. Other world-writable folders on
/// the machine are not watched (the README says so).
extension Sandbox {
    /// The folders every user may write to on a usual Linux system.
    static let sharedWritableFolders = ["/tmp", "/var/tmp", "/dev/shm"]

    /// What `uid` left in the shared writable folders: each top-level entry it owns and,
    /// inside world-writable folders owned by others (`/tmp/.X11-unix`), each entry it owns
    /// there. Our own scratch folders (named `ipgate-sandbox-…`) are not looked into.
    static func outsideWrites(uid: UInt32, folders: [String] = sharedWritableFolders) -> [(path: String, bytes: Int)] {
        var found: [(path: String, bytes: Int)] = []
        func look(in folder: String, depth: Int) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
            for name in names where !name.hasPrefix("ipgate-sandbox-") {
                let path = folder + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if info.st_uid == uid {
                    found.append((path, info.st_mode & S_IFMT == S_IFDIR ? folderSize(path) : Int(info.st_size)))
                } else if depth == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_mode & 0o002 != 0 {
                    look(in: path, depth: 1)
                }
            }
        }
        for folder in folders { look(in: folder, depth: 0) }
        return found
    }

    /// Removes what ``outsideWrites(uid:folders:)`` found; returns a sentence for the
    /// sample's detail, or nil when the program wrote nothing outside its scratch folder.
    static func removeOutsideWrites(uid: UInt32, folders: [String] = sharedWritableFolders) -> String? {
        let found = outsideWrites(uid: uid, folders: folders)
        guard !found.isEmpty else { return nil }
        for entry in found { try? FileManager.default.removeItem(atPath: entry.path) }
        let total = found.reduce(0) { $0 + $1.bytes }
        let named = found.prefix(3).map { TextSafety.visible($0.path) }.joined(separator: ", ")
        let more = found.count > 3 ? " and \(found.count - 3) more" : ""
        return "wrote outside its scratch folder (\(named)\(more), \(total) bytes in all; removed)"
    }
}
