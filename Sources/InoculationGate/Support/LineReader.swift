import Foundation

/// Reads a regular file line by line in fixed-size chunks, in time linear in its size
/// and memory bounded by the longest line allowed. Lines are split at `\n` (a `\r`
/// before it is dropped). A line longer than `maxLineBytes` ends the reading with
/// ``overlong`` set: a file without newlines is one line, and must not be read whole.
package struct LineReader: Sequence, IteratorProtocol {
    /// A line past the limit: where it starts, and the limit.
    package struct Overlong: Error, CustomStringConvertible {
        package var line: Int
        package var limit: Int
        package var description: String {
            "line \(line) is longer than \(LineReader.describe(bytes: limit)), the most one record may be (is the file cut, or missing its line breaks?); nothing after it was read"
        }
    }

    /// Default bound of one line (and of one CSV record).
    package static let defaultMaxLineBytes = 16 << 20

    private let handle: FileHandle
    private var buffer = [UInt8]()
    /// Where the unread part of `buffer` starts, and how far it was already searched for `\n`.
    private var start = 0
    private var searched = 0
    private var finished = false
    private let chunk: Int
    package let maxLineBytes: Int
    /// Lines handed out so far.
    package private(set) var lineNumber = 0
    /// Set when a line was longer than ``maxLineBytes``; reading stopped there.
    package private(set) var overlong: Overlong?

    package init(path: String, chunk: Int = 1 << 20, maxLineBytes: Int = defaultMaxLineBytes) throws {
        handle = try RegularFile.open(path)
        self.chunk = chunk
        self.maxLineBytes = maxLineBytes
    }

    package mutating func next() -> Data? {
        guard overlong == nil else { return nil }
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Data(buffer[start..<end])
                start = newline + 1
                searched = start
                lineNumber += 1
                return line
            }
            searched = buffer.count
            if buffer.count - start > maxLineBytes {
                overlong = Overlong(line: lineNumber + 1, limit: maxLineBytes)
                buffer = []
                try? handle.close()
                return nil
            }
            if finished {
                guard start < buffer.count else { return nil }
                defer { buffer = []; start = 0; searched = 0 }
                lineNumber += 1
                return Data(buffer[start...])
            }
            // Drop what was handed out before reading more: memory stays near one line.
            if start > 0 {
                buffer.removeFirst(start)
                searched -= start
                start = 0
            }
            let data = (try? handle.read(upToCount: chunk)) ?? Data()
            if data.isEmpty {
                finished = true
                try? handle.close()
            } else {
                buffer.append(contentsOf: data)
            }
        }
    }

    static func describe(bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
