import CPostgres

/// A connection to a PostgreSQL server through libpq.
///
/// Every statement goes through `PQexecParams` (the extended protocol, which itself runs only one
/// statement), with `?` placeholders translated to `$n` outside literals, quoted identifiers,
/// comments and dollar-quoted strings. Because of that translation PostgreSQL's own `?`, `?|` and
/// `?&` jsonb operators must be written as functions (`jsonb_exists`, ...).
///
/// Classification comes from the server's plan (see ``prepare(_:_:)``). PostgreSQL offers a
/// client no authorizer hook, so transaction and connection control is refused by leading keyword
/// and the server's transaction status is checked after every statement as a second line of
/// defence. A failed statement inside a transaction aborts that transaction, as PostgreSQL does;
/// only ``rollback()`` recovers it.
public final class PostgresConnection: DatabaseConnection {
    /// Who holds the server-side transaction open.
    enum TransactionState: Equatable {
        /// Autocommit: no transaction is open.
        case idle
        /// Opened by ``beginTransaction()``.
        case explicit
        /// Opened by the connection so that this many streaming cursors can live.
        case implicit(cursors: Int)
    }

    public let displayName: String
    private(set) var connection: OpaquePointer?
    var transactionState = TransactionState.idle
    /// Incremented each time a transaction ends, so cursors can tell theirs is gone.
    var transactionGeneration = 0
    private var cursorCounter = 0
    /// The `statement_timeout` last sent for ``deadline``: its value, when, and in which
    /// transaction (a rolled-back transaction undoes a `SET`).
    private var appliedTimeout: (milliseconds: Int64, at: ContinuousClock.Instant, generation: Int)?

    /// When running statements are cancelled (see ``DatabaseConnection/deadline``): before a
    /// statement the session's `statement_timeout` is set to the time left, again whenever the
    /// one sent is more than a quarter of a second old, so no statement outlives the deadline by more.
    public var deadline: ContinuousClock.Instant?

    /// Connects with a libpq connection string or `postgres://` URL.
    ///
    /// The session is set to UTF-8, hex bytea output and exact float output.
    ///
    /// - Parameters:
    ///   - url: what `PQconnectdb` takes, such as `postgres://user@/db?host=/tmp/sock&port=5433`.
    ///   - displayName: a password-free name for messages.
    ///   - password: the URL's password, if any, scrubbed from every connection message.
    /// - Throws: ``DatabaseError`` of kind ``DatabaseError/Kind/connection``.
    public init(url: String, displayName: String, password: String? = nil) throws {
        self.displayName = displayName
        let raw = PQconnectdb(url)
        guard let raw, PQstatus(raw) == CONNECTION_OK else {
            let error = PostgresStatus.connectionError(raw, displayName: displayName, secret: password)
            PQfinish(raw)
            throw error
        }
        connection = raw
        guard PQsetClientEncoding(raw, "UTF8") == 0 else {
            let error = PostgresStatus.connectionError(raw, displayName: displayName, secret: password)
            close()
            throw error
        }
        do {
            for setting in ["SET bytea_output TO 'hex'", "SET extra_float_digits TO 3"] {
                _ = try run(setting, sql: setting)
            }
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    public func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> StatementOutcome {
        let statement = try PostgresStatement(sql, parameters)
        let effect = try classify(statement)
        let result = try run(statement)
        return StatementOutcome(effect: effect, affectedRows: effect == .write ? result.commandTuples : 0)
    }

    public func beginTransaction() throws {
        switch transactionState {
        case .explicit:
            throw DatabaseError(.transactionState, "a transaction is already open on \(displayName)")
        case .implicit:
            // A streaming cursor's transaction becomes the caller's; the cursors live on inside it.
            transactionState = .explicit
        case .idle:
            _ = try run("BEGIN", sql: "BEGIN")
            transactionState = .explicit
        }
    }

    public func commit() throws {
        guard transactionState == .explicit else {
            throw DatabaseError(.transactionState, "no transaction is open on \(displayName)")
        }
        try endTransaction("COMMIT")
    }

    public func rollback() throws {
        guard transactionState == .explicit else { return }
        try endTransaction("ROLLBACK")
    }

    /// Whether the caller's transaction (from ``beginTransaction()``) is open.
    ///
    /// A transaction the connection opened only to keep a streaming cursor alive does not count.
    public var isInTransaction: Bool { transactionState == .explicit }

    public func close() {
        guard let connection else { return }
        if transactionState != .idle {
            // PQfinish ends the session, and the server rolls back what it left open: a failed ROLLBACK changes nothing.
            _ = try? run("ROLLBACK", sql: "ROLLBACK")
            transactionState = .idle
            transactionGeneration += 1
        }
        PQfinish(connection)
        self.connection = nil
    }

    /// Ends whatever transaction is open and notes that its cursors are gone.
    func endTransaction(_ verb: String) throws(DatabaseError) {
        transactionState = .idle
        transactionGeneration += 1
        _ = try run(verb, sql: verb)
    }

    /// A fresh server-side cursor name.
    func nextCursorName() -> String {
        cursorCounter += 1
        return "phasekit_c\(cursorCounter)"
    }

    /// Runs a caller statement and checks the server's transaction state afterwards.
    func run(_ statement: PostgresStatement, prefix: String = "") throws(DatabaseError) -> PostgresResult {
        let result: PostgresResult
        do {
            result = try run(prefix + statement.text, sql: statement.original, statement: statement)
        } catch {
            try verifyTransactionState(sql: statement.original)
            throw error
        }
        try verifyTransactionState(sql: statement.original)
        return result
    }

    /// Sends one statement with `PQexecParams` and checks the outcome: the backend's chokepoint.
    ///
    /// - Parameters:
    ///   - text: what is sent.
    ///   - sql: what errors name.
    ///   - statement: supplies the parameters, if any.
    func run(_ text: String, sql: String, statement: PostgresStatement? = nil) throws(DatabaseError) -> PostgresResult {
        guard let connection else {
            throw DatabaseError(.connection, "\(displayName) is closed", sql: sql)
        }
        if statement != nil { applyDeadline(connection) }   // the caller's statements, not BEGIN/COMMIT/ROLLBACK
        let raw: OpaquePointer?
        if let statement {
            raw = statement.withParameters { count, types, values, lengths, formats in
                PQexecParams(connection, text, count, types, values, lengths, formats, 0)
            }
        } else {
            raw = PQexecParams(connection, text, 0, nil, nil, nil, nil, 0)
        }
        let result: PostgresResult
        do {
            result = try PostgresStatus.check(raw, connection: connection, sql: sql)
        } catch {
            // A statement that failed because the server went away is a lost connection, not an SQL error.
            if PQstatus(connection) != CONNECTION_OK { throw PostgresStatus.lostConnection(connection, displayName: displayName, sql: sql) }
            throw error
        }
        if PQstatus(connection) != CONNECTION_OK {
            throw PostgresStatus.lostConnection(connection, displayName: displayName, sql: sql)
        }
        return result
    }

    /// Sets `statement_timeout` to the time left before ``deadline`` when the one sent is stale.
    /// A failure here (an aborted transaction refuses it) leaves the statement itself to fail.
    private func applyDeadline(_ connection: OpaquePointer) {
        guard let deadline else {
            if appliedTimeout != nil {   // the deadline was lifted: so is the timeout
                PQclear(PQexec(connection, "SET statement_timeout = 0"))
                appliedTimeout = nil
            }
            return
        }
        let now = ContinuousClock.now
        if let applied = appliedTimeout, applied.generation == transactionGeneration, now - applied.at < .milliseconds(250) {
            return
        }
        let left = deadline - now
        let milliseconds = max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
        let setting = "SET statement_timeout = \(milliseconds)"
        let raw = PQexec(connection, setting)
        let ok = PQresultStatus(raw) == PGRES_COMMAND_OK
        PQclear(raw)
        appliedTimeout = ok ? (milliseconds, now, transactionGeneration) : nil
    }

    /// Refuses (and undoes) a statement that opened or ended a transaction behind the connection's back.
    private func verifyTransactionState(sql: String) throws(DatabaseError) {
        guard let connection else { return }
        let status = PQtransactionStatus(connection)
        let serverInTransaction = status == PQTRANS_INTRANS || status == PQTRANS_INERROR
        if transactionState == .idle, serverInTransaction {
            do {
                _ = try run("ROLLBACK", sql: "ROLLBACK")
            } catch {
                throw DatabaseError(.forbiddenStatement, "the statement opened a transaction, and rolling it back failed (\(error))", sql: sql)
            }
            throw DatabaseError(.forbiddenStatement, "the statement opened a transaction; it was rolled back", sql: sql)
        }
        if transactionState != .idle, status == PQTRANS_IDLE {
            transactionState = .idle
            transactionGeneration += 1
            throw DatabaseError(.forbiddenStatement, "the statement ended the connection's transaction", sql: sql)
        }
    }
}
