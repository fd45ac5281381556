import CSQLite

/// The one owner of a raw `sqlite3*` handle and of the state its C callbacks read.
///
/// The authorizer and progress callbacks receive an unretained pointer to this object. That is
/// sound because the handle is closed (and the callbacks with it) before this object goes away,
/// and every cursor keeps its handle alive while its statement exists (SQLite may re-prepare, and
/// so re-authorize, a statement while stepping it).
final class SQLiteHandle {
    /// The raw connection; `nil` once closed.
    private(set) var db: OpaquePointer?
    /// Set only while the connection issues its own BEGIN/COMMIT/ROLLBACK.
    var allowsTransactionControl = false
    /// The authorizer's first refusal since ``resetAuthorizerLog()``, as a message.
    var denial: String?
    /// How many times the authorizer was asked since ``resetAuthorizerLog()``.
    var authorizerCalls = 0
    /// Asked periodically while a statement runs; returning `true` stops it with `SQLITE_INTERRUPT`.
    var interrupt: (() -> Bool)? {
        didSet { installProgressHandler() }
    }

    /// Opens a database file (or `:memory:`).
    ///
    /// - Parameters:
    ///   - path: the file, or `:memory:`.
    ///   - displayName: the name for messages.
    ///   - busyTimeoutMilliseconds: how long to wait for another connection's lock.
    /// - Throws: ``DatabaseError`` of kind ``DatabaseError/Kind/connection``.
    init(path: String, displayName: String, busyTimeoutMilliseconds: Int32, create: Bool = true) throws(DatabaseError) {
        var raw: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &raw, flags, nil)
        if code != SQLITE_OK {
            var error = SQLiteStatus.error(code, db: raw, stage: .open, sql: nil)
            error.message = "cannot open \(displayName): \(error.message)"
            sqlite3_close_v2(raw)
            throw error
        }
        db = raw
        do {
            try SQLiteStatus.check(sqlite3_extended_result_codes(raw, 1), db: raw, stage: .open, sql: nil)
            try SQLiteStatus.check(sqlite3_busy_timeout(raw, busyTimeoutMilliseconds), db: raw, stage: .open, sql: nil)
            // Temporary tables, indices and sort spill stay in memory, under the heap cap, instead
            // of growing files without bound in the temporary directory.
            try SQLiteStatus.check(sqlite3_exec(raw, "PRAGMA temp_store = MEMORY", nil, nil, nil), db: raw, stage: .open, sql: nil)
            Self.capHeap()
            let context = Unmanaged.passUnretained(self).toOpaque()
            let installed = sqlite3_set_authorizer(raw, { context, action, first, second, _, _ in
                guard let context else { return SQLITE_DENY }
                let handle = Unmanaged<SQLiteHandle>.fromOpaque(context).takeUnretainedValue()
                return handle.authorize(
                    action: action,
                    first.map { String(cString: $0) },
                    second.map { String(cString: $0) }
                )
            }, context)
            try SQLiteStatus.check(installed, db: raw, stage: .open, sql: nil)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// The most memory SQLite may hold in this process, temporary storage included: 64 MiB. A
    /// statement that needs more fails with `SQLITE_NOMEM` ("out of memory").
    static let heapLimitBytes: Int64 = 64 << 20

    /// Sets SQLite's hard heap limit (process-wide; setting it again is harmless).
    static func capHeap() {
        _ = sqlite3_hard_heap_limit64(heapLimitBytes)
    }

    /// Whether the handle is still open.
    var isOpen: Bool { db != nil }

    /// Forgets earlier authorizer decisions before a new prepare or step.
    func resetAuthorizerLog() {
        denial = nil
        authorizerCalls = 0
    }

    /// Closes the raw handle; statements still alive keep it a zombie until they are finalized.
    func close() {
        guard let db else { return }
        sqlite3_progress_handler(db, 0, nil, nil)
        sqlite3_set_authorizer(db, nil, nil)
        sqlite3_close_v2(db)
        self.db = nil
    }

    private func installProgressHandler() {
        guard let db else { return }
        guard interrupt != nil else {
            sqlite3_progress_handler(db, 0, nil, nil)
            return
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_progress_handler(db, 1000, { context in
            guard let context else { return 0 }
            let handle = Unmanaged<SQLiteHandle>.fromOpaque(context).takeUnretainedValue()
            return handle.interrupt?() == true ? 1 : 0
        }, context)
    }
}
