import Foundation

/// Reads CSV records (RFC 4180: comma-separated, fields in double quotes may hold
/// commas, quotes written twice, and line breaks) one at a time from a file of any
/// size, each with the line it starts on.
package struct CSVReader: Sequence, IteratorProtocol {
    package struct Record {
        package var line: Int
        package var fields: [String]
    }

    /// A record whose bytes are not UTF-8.
    package struct NotUTF8: Error {
        package var line: Int
    }

    /// A record (several lines when a quoted field holds line breaks) past the limit.
    package struct Overlong: Error, CustomStringConvertible {
        package var line: Int
        package var limit: Int
        package var description: String {
            "the record starting at line \(line) is longer than \(LineReader.describe(bytes: limit)), the most one record may be (an unterminated quote?); nothing after it was read"
        }
    }

    private var lines: LineReader
    private var lineNumber = 0
    private let maxRecordBytes: Int
    package private(set) var encodingError: NotUTF8?
    package private(set) var overlong: Overlong?

    package init(path: String, maxRecordBytes: Int = LineReader.defaultMaxLineBytes) throws {
        lines = try LineReader(path: path, maxLineBytes: maxRecordBytes)
        self.maxRecordBytes = maxRecordBytes
    }

    /// Why reading stopped early (bad encoding, an overlong record), if it did.
    package var stopReason: (line: Int, message: String)? {
        if let encodingError { return (encodingError.line, "not UTF-8 text (save the file as UTF-8); nothing after it was read") }
        if let overlong { return (overlong.line, overlong.description) }
        return nil
    }

    package mutating func next() -> Record? {
        guard encodingError == nil, overlong == nil else { return nil }
        var text = ""
        var start = 0
        // Quotes counted line by line as they arrive: a record stays open while the count
        // is odd. Counting the whole record again for every line was quadratic.
        var quotes = 0
        var bytes = 0
        while let data = lines.next() {
            lineNumber += 1
            guard let line = String(data: data, encoding: .utf8) else {
                encodingError = NotUTF8(line: lineNumber)
                return nil
            }
            if start == 0 {
                if line.allSatisfy(\.isWhitespace) { continue }   // blank lines between records
                start = lineNumber
                text = line
            } else {
                text += "\n" + line
            }
            bytes += data.count + 1
            quotes += data.reduce(0) { $1 == UInt8(ascii: "\"") ? $0 + 1 : $0 }
            if quotes % 2 == 0 {
                return Record(line: start, fields: Self.fields(text))
            }
            if bytes > maxRecordBytes {
                overlong = Overlong(line: start, limit: maxRecordBytes)
                return nil
            }
        }
        if let long = lines.overlong {
            overlong = Overlong(line: start == 0 ? long.line : start, limit: long.limit)
            return nil
        }
        return start == 0 ? nil : Record(line: start, fields: Self.fields(text))
    }

    /// The fields of one record.
    static func fields(_ record: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        // Unicode scalars, not characters: no grapheme breaking on every byte of a large file.
        var characters = record.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.unicodeScalars.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.unicodeScalars.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
