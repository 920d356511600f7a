import GRDB
import GRDBSQLite

/// A prepared statement executed through SQLite's C API: values bound in place, no
/// argument array, no value boxes. For the statements a run executes once per answer
/// (storing an answer, storing a sample, looking one up), where GRDB's general binding
/// cost more than SQLite's own work. Use it inside a GRDB access block, on a statement
/// GRDB prepared (`cachedStatement`), and nowhere else.
struct BoundStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ statement: Statement) { self.statement = statement }

    /// Clears the previous execution's state and values.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds text (copied by SQLite) to parameter `index`, counting from 1.
    func bind(_ index: Int32, _ text: String) throws {
        var text = text
        let code = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // A NULL pointer would bind NULL: the empty string is bound as empty text.
                guard let start = chars.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT) }
                return sqlite3_bind_text(handle, index, start, Int32(chars.count), SQLITE_TRANSIENT)
            }
        }
        try check(code)
    }

    /// Binds a string's UTF-8 bytes as a blob (answers are stored as bytes: a NUL must survive).
    func bindBytes(_ index: Int32, _ text: String) throws {
        var text = text
        let code = text.withUTF8 { bytes in
            // A NULL pointer would bind NULL: an empty answer is bound as a zero-length blob.
            guard let start = bytes.baseAddress else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return sqlite3_bind_blob(handle, index, start, Int32(bytes.count), SQLITE_TRANSIENT)
        }
        try check(code)
    }

    func bind(_ index: Int32, _ value: Int) throws { try check(sqlite3_bind_int64(handle, index, Int64(value))) }

    /// Binds a double, or NULL.
    func bind(_ index: Int32, _ value: Double?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds a boolean as 0 or 1 (as GRDB stores one), or NULL.
    func bind(_ index: Int32, _ value: Bool?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try check(sqlite3_bind_int64(handle, index, value ? 1 : 0))
    }

    /// Binds text, or NULL.
    func bind(_ index: Int32, _ text: String?) throws {
        guard let text else { return try check(sqlite3_bind_null(handle, index)) }
        try bind(index, text)
    }

    /// Runs a statement that returns no rows.
    func execute() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Steps through the rows, handing each to `row` (its columns valid only during the call).
    func forEachRow(_ row: (BoundStatement) throws -> Void) throws {
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            try row(self)
        }
    }

    /// Column `index` (from 0) of the current row as text, reading a blob's bytes as UTF-8.
    func string(_ index: Int32) -> String {
        // The pointer first, then its length: SQLite's documented order.
        guard let bytes = sqlite3_column_blob(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = sqlite3_errmsg(sqlite3_db_handle(handle)).map { String(cString: $0) }
        // The statement must not keep the failed step's state for the next user.
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}

/// SQLite copies the bytes before the bind call returns.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
