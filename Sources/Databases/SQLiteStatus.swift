import CSQLite

/// The single place where SQLite result codes become ``DatabaseError``s.
///
/// Every SQLite call that can fail hands its result code here with the stage it belongs to;
/// raw codes never leave the module except as the symbolic ``DatabaseError/code`` text.
enum SQLiteStatus {
    /// Where in a statement's life a failure happened, which decides its ``DatabaseError/Kind``.
    enum Stage {
        case open
        case prepare
        case bind
        case step
        case control
    }

    /// Returns `code` when it means success (`SQLITE_OK`, `SQLITE_ROW`, `SQLITE_DONE`), throws otherwise.
    ///
    /// - Parameters:
    ///   - code: the result code of the call.
    ///   - db: the connection the call used, for its error message (may be `nil` when opening failed).
    ///   - stage: what was being done.
    ///   - sql: the statement involved, if any.
    ///   - denial: the authorizer's reason when it refused something during this call.
    /// - Throws: ``DatabaseError`` describing the failure.
    @discardableResult
    static func check(
        _ code: Int32, db: OpaquePointer?, stage: Stage, sql: String?, denial: String? = nil
    ) throws(DatabaseError) -> Int32 {
        if code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE { return code }
        throw error(code, db: db, stage: stage, sql: sql, denial: denial)
    }

    /// Builds the error for a failing result code without throwing it.
    static func error(_ code: Int32, db: OpaquePointer?, stage: Stage, sql: String?, denial: String? = nil) -> DatabaseError {
        let primary = code & 0xFF
        var message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        let kind: DatabaseError.Kind
        if let denial {
            kind = .forbiddenStatement
            message = denial
        } else if primary == SQLITE_AUTH {
            kind = .forbiddenStatement
        } else {
            switch stage {
            case .open: kind = .connection
            case .prepare: kind = .syntax
            case .bind: kind = .parameters
            case .step: kind = primary == SQLITE_RANGE || primary == SQLITE_TOOBIG ? .parameters : .execution
            case .control: kind = .execution
            }
        }
        return DatabaseError(kind, message, code: name(of: primary), sql: sql)
    }

    /// The symbolic name of a primary result code, such as `SQLITE_CONSTRAINT`.
    static func name(of primary: Int32) -> String {
        let names: [Int32: String] = [
            SQLITE_ERROR: "SQLITE_ERROR", SQLITE_INTERNAL: "SQLITE_INTERNAL", SQLITE_PERM: "SQLITE_PERM",
            SQLITE_ABORT: "SQLITE_ABORT", SQLITE_BUSY: "SQLITE_BUSY", SQLITE_LOCKED: "SQLITE_LOCKED",
            SQLITE_NOMEM: "SQLITE_NOMEM", SQLITE_READONLY: "SQLITE_READONLY", SQLITE_INTERRUPT: "SQLITE_INTERRUPT",
            SQLITE_IOERR: "SQLITE_IOERR", SQLITE_CORRUPT: "SQLITE_CORRUPT", SQLITE_NOTFOUND: "SQLITE_NOTFOUND",
            SQLITE_FULL: "SQLITE_FULL", SQLITE_CANTOPEN: "SQLITE_CANTOPEN", SQLITE_PROTOCOL: "SQLITE_PROTOCOL",
            SQLITE_EMPTY: "SQLITE_EMPTY", SQLITE_SCHEMA: "SQLITE_SCHEMA", SQLITE_TOOBIG: "SQLITE_TOOBIG",
            SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT", SQLITE_MISMATCH: "SQLITE_MISMATCH", SQLITE_MISUSE: "SQLITE_MISUSE",
            SQLITE_NOLFS: "SQLITE_NOLFS", SQLITE_AUTH: "SQLITE_AUTH", SQLITE_FORMAT: "SQLITE_FORMAT",
            SQLITE_RANGE: "SQLITE_RANGE", SQLITE_NOTADB: "SQLITE_NOTADB",
        ]
        return names[primary] ?? "SQLITE_\(primary)"
    }
}
