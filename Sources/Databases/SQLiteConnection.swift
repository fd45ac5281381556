import CSQLite

/// A connection to an SQLite database through the system's libsqlite3.
///
/// Statements are classified by `sqlite3_stmt_readonly`. Transaction and connection control is
/// refused by an authorizer (`sqlite3_set_authorizer`) that denies BEGIN/COMMIT/ROLLBACK,
/// SAVEPOINT/RELEASE, ATTACH/DETACH and pragmas that write; VACUUM (which the authorizer does not
/// see while preparing) is refused by its first keyword and, as a second line of defence, any
/// statement that writes without the authorizer seeing anything is refused too. The connection's
/// own ``beginTransaction()``, ``commit()`` and ``rollback()`` lift the authorizer only for their
/// own statement.
public final class SQLiteConnection: DatabaseConnection {
    public let displayName: String
    let handle: SQLiteHandle
    let lexer = SQLLexer(dialect: .sqlite)

    /// Asked about every thousand virtual-machine steps while a statement runs.
    ///
    /// Returning `true` stops the running statement, which then fails with a
    /// ``DatabaseError/Kind/execution`` error whose code is `SQLITE_INTERRUPT` (any open
    /// transaction stays open and can be rolled back). A run uses it to enforce its wall-clock
    /// limit on a runaway query. `nil` (the default) installs no progress handler.
    public var interrupt: (() -> Bool)? {
        get { handle.interrupt }
        set { handle.interrupt = newValue }
    }

    /// When running statements are interrupted (see ``DatabaseConnection/deadline``): checked by
    /// the progress handler about every thousand virtual-machine steps, as ``interrupt`` is.
    public var deadline: ContinuousClock.Instant? {
        get { interruptDeadline }
        set {
            // A deadline computed anew for every statement moves by microseconds: keep the handler.
            if let newValue, let current = interruptDeadline,
               newValue - current < .milliseconds(1), current - newValue < .milliseconds(1) { return }
            interruptDeadline = newValue
            if let newValue {
                interrupt = { ContinuousClock.now >= newValue }
            } else {
                interrupt = nil
            }
        }
    }
    private var interruptDeadline: ContinuousClock.Instant?

    /// Opens (creating if needed) an SQLite database.
    ///
    /// - Parameters:
    ///   - path: the database file, or `:memory:` for a private in-memory database.
    ///   - displayName: the name for messages; defaults to `sqlite:PATH`.
    ///   - busyTimeoutMilliseconds: how long a statement waits for another connection's lock.
    /// - Throws: ``DatabaseError`` of kind ``DatabaseError/Kind/connection`` when it cannot be opened.
    public init(path: String, displayName: String? = nil, busyTimeoutMilliseconds: Int32 = 5000, create: Bool = true) throws {
        let name = displayName ?? "sqlite:\(path)"
        self.displayName = name
        self.handle = try SQLiteHandle(path: path, displayName: name, busyTimeoutMilliseconds: busyTimeoutMilliseconds, create: create)
    }

    deinit {
        close()
    }

    public func prepare(_ sql: String, _ parameters: [DatabaseValue]) throws -> any DatabaseCursor {
        let cursor = try makeCursor(sql, parameters)
        try cursor.start()
        return cursor
    }

    public func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> StatementOutcome {
        let cursor = try makeCursor(sql, parameters)
        let totalBefore = handle.db.map { sqlite3_total_changes64($0) } ?? 0
        try cursor.drain()
        guard cursor.effect == .write, let db = handle.db, sqlite3_total_changes64(db) != totalBefore else {
            return StatementOutcome(effect: cursor.effect, affectedRows: 0)
        }
        // sqlite3_changes64 keeps the last INSERT/UPDATE/DELETE's count across other statements,
        // so it is only read when this statement changed rows.
        return StatementOutcome(effect: cursor.effect, affectedRows: Int(sqlite3_changes64(db)))
    }

    public func beginTransaction() throws {
        guard !isInTransaction else {
            throw DatabaseError(.transactionState, "a transaction is already open on \(displayName)")
        }
        try control("BEGIN IMMEDIATE")
    }

    public func commit() throws {
        guard isInTransaction else {
            throw DatabaseError(.transactionState, "no transaction is open on \(displayName)")
        }
        try control("COMMIT")
    }

    public func rollback() throws {
        guard isInTransaction else { return }
        try control("ROLLBACK")
    }

    /// Whether a transaction is open, as SQLite itself reports it (`sqlite3_get_autocommit`).
    public var isInTransaction: Bool {
        guard let db = handle.db else { return false }
        return sqlite3_get_autocommit(db) == 0
    }

    public func close() {
        guard handle.isOpen else { return }
        // Closing the handle rolls back an open transaction anyway: a failed ROLLBACK here changes nothing.
        try? rollback()
        handle.close()
    }

    /// Runs one of the connection's own transaction statements with the authorizer lifted.
    private func control(_ sql: String) throws(DatabaseError) {
        handle.allowsTransactionControl = true
        defer { handle.allowsTransactionControl = false }
        let cursor = try makeCursor(sql, [])
        try cursor.drain()
    }
}
