/// A value that crosses between phasekit and a database, mapped faithfully in both directions.
public enum DatabaseValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// How the database itself classifies a prepared statement.
public enum StatementEffect: Sendable, Equatable {
    /// The statement only reads (SQLite: `sqlite3_stmt_readonly`; PostgreSQL: its plan has no modifying node).
    case read
    /// The statement changes the database (or could not be proven read-only: unknown means write).
    case write
}

/// The rows a query returns, pulled one at a time so large results are never materialized.
///
/// A cursor holds its statement open until it is exhausted or ``close()`` is called.
public protocol DatabaseCursor: AnyObject {
    /// Column names in result order.
    var columnNames: [String] { get }
    /// Whether the database classifies the statement as a read or a write.
    var effect: StatementEffect { get }
    /// The next row, or `nil` when there are no more.
    ///
    /// - Throws: ``DatabaseError`` when the database fails while stepping.
    func next() throws -> [DatabaseValue]?
    /// Releases the statement early; calling it twice is harmless.
    func close()
}

/// The result of a statement run to completion.
public struct StatementOutcome: Sendable, Equatable {
    /// The database's classification of the statement.
    public var effect: StatementEffect
    /// Rows inserted, updated or deleted (0 for reads).
    public var affectedRows: Int

    public init(effect: StatementEffect, affectedRows: Int) {
        self.effect = effect
        self.affectedRows = affectedRows
    }
}

/// One connection to a management database, used by one run on one thread.
///
/// Requirements:
/// - Every statement takes its values as bound parameters (`?` placeholders, numbered left to right
///   on every backend), never by interpolation.
/// - One statement per call: SQL with a second statement after the first is refused.
/// - Scripts never control transactions or the connection: BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT,
///   RELEASE, ATTACH, DETACH, VACUUM (INTO) and PRAGMAs that write are refused with
///   ``DatabaseError/Kind/forbiddenStatement`` whatever their case, comments or whitespace.
///   The connection's own ``beginTransaction()``, ``commit()`` and ``rollback()`` are the only way.
/// - ``prepare(_:_:)`` reports the database's own classification before any row is read.
public protocol DatabaseConnection: AnyObject {
    /// A short name for messages, such as `sqlite:/site/state/cms.db` (never a password).
    var displayName: String { get }

    /// Prepares and starts a statement, returning a cursor over its rows.
    ///
    /// - Parameters:
    ///   - sql: one SQL statement with `?` placeholders.
    ///   - parameters: the values bound to the placeholders in order.
    /// - Throws: ``DatabaseError`` for syntax errors, a parameter count mismatch, several statements,
    ///   or a forbidden statement.
    func prepare(_ sql: String, _ parameters: [DatabaseValue]) throws -> any DatabaseCursor

    /// Runs a statement to completion and returns its classification and affected row count.
    ///
    /// - Throws: ``DatabaseError`` as ``prepare(_:_:)`` does, or when the statement fails.
    func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> StatementOutcome

    /// Opens a transaction; nested calls are refused.
    func beginTransaction() throws
    /// Commits the open transaction.
    func commit() throws
    /// Rolls the open transaction back; harmless when none is open.
    func rollback() throws
    /// Whether a transaction is open.
    var isInTransaction: Bool { get }

    /// When statements must stop: a statement still running then fails with an error (SQLite
    /// interrupts it from its progress handler, PostgreSQL cancels it by `statement_timeout`),
    /// so a run's time limit holds inside the database. `nil` (the default) sets no deadline.
    var deadline: ContinuousClock.Instant? { get set }

    /// Closes the connection, rolling back any open transaction.
    func close()
}

/// A typed database failure carrying everything needed to act on it.
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure classes callers act on.
    public enum Kind: String, Sendable, Equatable {
        /// The database cannot be opened or reached.
        case connection
        /// The SQL does not compile.
        case syntax
        /// Transaction or connection control, or a second statement in one call.
        case forbiddenStatement
        /// Wrong number of parameters, or a value the database cannot take.
        case parameters
        /// The statement failed while running (constraint, type, lock, ...).
        case execution
        /// A transaction was begun twice, or committed without one.
        case transactionState
    }

    public var kind: Kind
    /// The database's own message.
    public var message: String
    /// The backend's result code or SQLSTATE, when there is one.
    public var code: String?
    /// The SQL involved, when there is one.
    public var sql: String?

    public init(_ kind: Kind, _ message: String, code: String? = nil, sql: String? = nil) {
        self.kind = kind
        self.message = message
        self.code = code
        self.sql = sql
    }

    public var description: String {
        var text = message
        if let code { text += " (\(code))" }
        if let sql { text += " in: \(sql)" }
        return text
    }
}
