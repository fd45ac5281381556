import CSQLite

extension SQLiteConnection {
    /// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Prepares one statement, refuses what scripts may not run, and binds its parameters.
    ///
    /// - Parameters:
    ///   - sql: exactly one statement.
    ///   - parameters: values for its `?` placeholders.
    /// - Throws: ``DatabaseError`` for syntax errors, forbidden or multiple statements, or parameter trouble.
    func makeCursor(_ sql: String, _ parameters: [DatabaseValue]) throws(DatabaseError) -> SQLiteCursor {
        guard let db = handle.db else {
            throw DatabaseError(.connection, "\(displayName) is closed", sql: sql)
        }
        if let first = lexer.leadingWords(sql, limit: 1).first, first == "VACUUM" {
            throw DatabaseError(.forbiddenStatement, "VACUUM is refused: it rewrites the whole database", sql: sql)
        }
        let bytes = Array(sql.utf8) + [0]
        var raw: OpaquePointer?
        var tailOffset = bytes.count - 1
        handle.resetAuthorizerLog()
        let code = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return SQLITE_MISUSE }
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(db, base, Int32(chars.count), &raw, &tail)
                if let tail { tailOffset = base.distance(to: tail) }
                return code
            }
        }
        if code != SQLITE_OK {
            sqlite3_finalize(raw)
            throw SQLiteStatus.error(code, db: db, stage: .prepare, sql: sql, denial: handle.denial)
        }
        guard let raw else {
            throw DatabaseError(.syntax, "no SQL statement to run", sql: sql)
        }
        let cursor = SQLiteCursor(statement: raw, handle: handle, sql: sql)
        guard lexer.isBlank(bytes[min(tailOffset, bytes.count - 1)..<(bytes.count - 1)]) else {
            throw DatabaseError(.forbiddenStatement, "only one statement per call is allowed", sql: sql)
        }
        if cursor.effect == .write, handle.authorizerCalls == 0 {
            throw DatabaseError(
                .forbiddenStatement,
                "a statement that writes without touching any table (such as VACUUM) is refused",
                sql: sql
            )
        }
        try bind(parameters, to: raw, sql: sql)
        return cursor
    }

    /// Binds values to a statement's placeholders, text and blobs byte-exact.
    private func bind(_ parameters: [DatabaseValue], to statement: OpaquePointer, sql: String) throws(DatabaseError) {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameters.count else {
            throw DatabaseError(
                .parameters, "the statement takes \(expected) parameters but \(parameters.count) were given", sql: sql
            )
        }
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null:
                code = sqlite3_bind_null(statement, index)
            case .integer(let integer):
                code = sqlite3_bind_int64(statement, index, integer)
            case .real(let real):
                code = sqlite3_bind_double(statement, index, real)
            case .text(let text):
                // The explicit length keeps embedded NULs; the extra terminator keeps the pointer
                // non-nil even for "", so the value is empty text rather than NULL.
                let length = text.utf8.count
                let utf8 = Array(text.utf8) + [0]
                code = utf8.withUnsafeBufferPointer { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        sqlite3_bind_text64(
                            statement, index, chars.baseAddress, sqlite3_uint64(length), Self.transient, UInt8(SQLITE_UTF8)
                        )
                    }
                }
            case .blob(let blob):
                if blob.isEmpty {
                    code = sqlite3_bind_zeroblob(statement, index, 0)
                } else {
                    code = blob.withUnsafeBytes { bytes in
                        sqlite3_bind_blob64(statement, index, bytes.baseAddress, sqlite3_uint64(blob.count), Self.transient)
                    }
                }
            }
            try SQLiteStatus.check(code, db: handle.db, stage: .bind, sql: sql)
        }
    }
}
