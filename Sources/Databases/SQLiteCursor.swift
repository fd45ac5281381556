import CSQLite

/// A cursor over one prepared SQLite statement; it is the statement's only owner.
///
/// The statement is finalized when the rows run out, on ``close()``, on a stepping error, or in
/// `deinit`, whichever comes first.
final class SQLiteCursor: DatabaseCursor {
    let columnNames: [String]
    let effect: StatementEffect
    private var statement: OpaquePointer?
    private let handle: SQLiteHandle
    private let sql: String
    /// Whether the statement is positioned on a row not yet returned.
    private var hasPendingRow = false

    /// Takes ownership of a freshly prepared statement.
    ///
    /// - Parameters:
    ///   - statement: the prepared statement, finalized by this cursor.
    ///   - handle: the connection it belongs to, kept alive as long as the statement.
    ///   - sql: the statement text, for errors.
    init(statement: OpaquePointer, handle: SQLiteHandle, sql: String) {
        self.statement = statement
        self.handle = handle
        self.sql = sql
        self.effect = sqlite3_stmt_readonly(statement) != 0 ? .read : .write
        self.columnNames = (0..<sqlite3_column_count(statement)).map { index in
            sqlite3_column_name(statement, index).map { String(cString: $0) } ?? "column\(index + 1)"
        }
    }

    deinit {
        close()
    }

    /// The raw statement while it is open, for binding before the first step.
    var rawStatement: OpaquePointer? { statement }

    /// Runs the statement up to its first row (or to completion), so it is started and its errors surface.
    ///
    /// - Throws: ``DatabaseError`` when the statement fails.
    func start() throws(DatabaseError) {
        try step()
    }

    func next() throws(DatabaseError) -> [DatabaseValue]? {
        guard let statement else { return nil }
        if !hasPendingRow {
            try step()
            guard hasPendingRow else { return nil }
        }
        hasPendingRow = false
        return (0..<Int32(columnNames.count)).map { readValue(statement, column: $0) }
    }

    /// Steps through every remaining row without reading it.
    ///
    /// - Throws: ``DatabaseError`` when the statement fails.
    func drain() throws(DatabaseError) {
        hasPendingRow = false
        while statement != nil {
            try step()
            hasPendingRow = false
        }
    }

    func close() {
        guard let statement else { return }
        sqlite3_finalize(statement)
        self.statement = nil
        hasPendingRow = false
    }

    private func step() throws(DatabaseError) {
        guard let statement else { return }
        guard handle.isOpen else {
            close()
            throw DatabaseError(.execution, "the connection is closed", sql: sql)
        }
        handle.resetAuthorizerLog()
        let code = sqlite3_step(statement)
        if code == SQLITE_ROW {
            hasPendingRow = true
            return
        }
        if code == SQLITE_DONE {
            close()
            return
        }
        let error = SQLiteStatus.error(code, db: handle.db, stage: .step, sql: sql, denial: handle.denial)
        close()
        throw error
    }

    private func readValue(_ statement: OpaquePointer, column: Int32) -> DatabaseValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            // Pointer first, then length, as SQLite documents; the length keeps embedded NULs.
            let text = sqlite3_column_text(statement, column)
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let text, count > 0 else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let blob = sqlite3_column_blob(statement, column)
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let blob, count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }
}
