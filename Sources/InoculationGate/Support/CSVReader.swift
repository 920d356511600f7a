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

    private var lines: LineReader
    private var lineNumber = 0
    package private(set) var encodingError: NotUTF8?

    package init(path: String) throws {
        lines = try LineReader(path: path)
    }

    package mutating func next() -> Record? {
        guard encodingError == nil else { return nil }
        var text = ""
        var start = 0
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
            // Inside quotes the record goes on to the next line.
            if text.utf8.reduce(0, { $1 == UInt8(ascii: "\"") ? $0 + 1 : $0 }) % 2 == 0 {
                return Record(line: start, fields: Self.fields(text))
            }
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
