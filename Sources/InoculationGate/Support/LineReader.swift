import Foundation

/// Reads a file line by line in fixed-size chunks, so a file of any size is
/// read in bounded memory. Lines are split at `\n` (a `\r` before it is dropped).
package struct LineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer = Data()
    private var finished = false
    private let chunk: Int

    package init(path: String, chunk: Int = 1 << 20) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        self.chunk = chunk
    }

    package mutating func next() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                return Data(line)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return buffer
            }
            let data = handle.readData(ofLength: chunk)
            if data.isEmpty {
                finished = true
                try? handle.close()
            } else {
                buffer.append(data)
            }
        }
    }
}
