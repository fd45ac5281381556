import Databases
import Foundation
import Testing

/// A backend the shared behaviour suite runs against.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// A fresh, empty database of this backend and its cleanup; nil (the test passes over it) for
    /// PostgreSQL without a test server outside CI.
    func fresh() throws -> (any DatabaseConnection, () -> Void)? {
        switch self {
        case .sqlite:
            let (db, _, cleanup) = try temporarySQLite()
            return (db, cleanup)
        case .postgres:
            return try freshPostgres()
        }
    }

    /// The code each backend gives a unique-constraint violation, a syntax error and a missing table.
    var codes: (unique: String, syntax: String, missingTable: String) {
        switch self {
        case .sqlite: ("SQLITE_CONSTRAINT", "SQLITE_ERROR", "SQLITE_ERROR")
        case .postgres: ("23505", "42601", "42P01")
        }
    }
}

/// What every database backend does alike, run against SQLite and PostgreSQL: the contract of
/// ``DatabaseConnection``. Backend-specific behaviour stays in `SQLiteConnectionTests` and
/// `PostgresConnectionTests`.
@Suite struct DatabaseBehaviourTests {
    @Test(arguments: Backend.allCases)
    func roundTripsValues(backend: Backend) throws {
        guard let (db, cleanup) = try backend.fresh() else { return }
        defer { cleanup() }
        _ = try db.execute("CREATE TABLE v(k integer, i bigint, r double precision, t text, b \(backend == .sqlite ? "blob" : "bytea"))", [])
        let blob = (0...255).map { UInt8($0) } + [0, 0]
        let rows: [[DatabaseValue]] = [
            [.integer(1), .integer(Int64.max), .real(0.1 + 0.2), .text("héllo ✓ 'q' ?"), .blob(blob)],
            [.integer(2), .integer(Int64.min), .real(-0.5e-300), .text(""), .blob([])],
            [.integer(3), .null, .null, .null, .null],
        ]
        for row in rows {
            #expect(try db.execute("INSERT INTO v(k, i, r, t, b) VALUES (?, ?, ?, ?, ?)", row) == .init(effect: .write, affectedRows: 1))
        }
        #expect(try allRows(db.prepare("SELECT k, i, r, t, b FROM v ORDER BY k", [])) == rows)
    }

    @Test(arguments: Backend.allCases)
    func streamsManyRowsAndReportsColumns(backend: Backend) throws {
        guard let (db, cleanup) = try backend.fresh() else { return }
        defer { cleanup() }
        let sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i AS n, i * 2 AS twice FROM n"
        let cursor = try db.prepare(sql, [.integer(100_000)])
        #expect(cursor.columnNames == ["n", "twice"])
        #expect(cursor.effect == .read)
        var count: Int64 = 0
        var sum: Int64 = 0
        while let row = try cursor.next() {
            count += 1
            if case .integer(let value) = row[1] { sum += value }
        }
        #expect(count == 100_000)
        #expect(sum == 100_000 * 100_001)
        #expect(try cursor.next() == nil)
        cursor.close()
        cursor.close()
        #expect(!db.isInTransaction)
    }

    @Test(arguments: Backend.allCases)
    func classifiesReadsAndWritesByTheDatabase(backend: Backend) throws {
        guard let (db, cleanup) = try backend.fresh() else { return }
        defer { cleanup() }
        #expect(try db.execute("CREATE TABLE t(a integer PRIMARY KEY, b text)", []).effect == .write)
        #expect(try db.execute("INSERT INTO t(a, b) VALUES (1, ?), (2, ?)", [.text("x"), .text("y")]) == .init(effect: .write, affectedRows: 2))
        #expect(try db.execute("UPDATE t SET b = ? WHERE a > 0", [.text("z")]) == .init(effect: .write, affectedRows: 2))
        #expect(try db.execute("SELECT * FROM t", []) == .init(effect: .read, affectedRows: 0))
        #expect(try db.execute("DELETE FROM t WHERE a = ?", [.integer(1)]) == .init(effect: .write, affectedRows: 1))
        let returning = try db.prepare("INSERT INTO t(a, b) VALUES (3, 'r') RETURNING b", [])
        #expect(returning.effect == .write)
        #expect(try allRows(returning) == [[.text("r")]])
    }

    @Test(arguments: Backend.allCases, ["/* x */ bEgIn", "--c\nCOMMIT", "  savepoint a", "rollback", "SELECT 1; SELECT 2"])
    func refusesTransactionControlAndASecondStatement(backend: Backend, sql: String) throws {
        guard let (db, cleanup) = try backend.fresh() else { return }
        defer { cleanup() }
        try Self.expectRefused(sql, by: db)
    }

    /// `sql` is refused as a forbidden statement, naming it, and leaves no transaction open.
    static func expectRefused(_ sql: String, by db: any DatabaseConnection) throws {
        do {
            _ = try db.execute(sql, [])
            Issue.record("\(sql) was not refused")
        } catch let error as DatabaseError {
            #expect(error.kind == .forbiddenStatement, "\(sql): \(error)")
            #expect(error.sql == sql)
        }
        #expect(!db.isInTransaction)
    }

    @Test(arguments: Backend.allCases)
    func transactionsCommitAndRollBack(backend: Backend) throws {
        guard let (db, cleanup) = try backend.fresh() else { return }
        defer { cleanup() }
        _ = try db.execute("CREATE TABLE t(a integer)", [])
        #expect(!db.isInTransaction)
        try db.beginTransaction()
        #expect(db.isInTransaction)
        #expect(throws: DatabaseError.self) { try db.beginTransaction() }
        _ = try db.execute("INSERT INTO t VALUES (1)", [])
        try db.rollback()
        #expect(!db.isInTransaction)
        try db.rollback()
        #expect(try allRows(db.prepare("SELECT count(*) FROM t", [])) == [[.integer(0)]])
        try db.beginTransaction()
        _ = try db.execute("INSERT INTO t VALUES (2)", [])
        try db.commit()
        #expect(try allRows(db.prepare("SELECT a FROM t", [])) == [[.integer(2)]])
        do {
            try db.commit()
            Issue.record("commit without a transaction succeeded")
        } catch let error as DatabaseError {
            #expect(error.kind == .transactionState)
        }
    }

    @Test(arguments: Backend.allCases)
    func errorsCarryKindCodeMessageAndSQL(backend: Backend) throws {
        guard let (db, cleanup) = try backend.fresh() else { return }
        defer { cleanup() }
        _ = try db.execute("CREATE TABLE t(a integer UNIQUE)", [])
        _ = try db.execute("INSERT INTO t VALUES (1)", [])
        let cases: [(String, [DatabaseValue], DatabaseError.Kind, String)] = [
            ("INSERT INTO t VALUES (?)", [.integer(1)], .execution, backend.codes.unique),
            ("SELEC 1", [], .syntax, backend.codes.syntax),
            ("SELECT * FROM missing", [], .syntax, backend.codes.missingTable),
        ]
        for (sql, parameters, kind, code) in cases {
            do {
                _ = try db.execute(sql, parameters)
                Issue.record("\(sql) succeeded")
            } catch let error as DatabaseError {
                #expect(error.kind == kind, "\(sql): \(error)")
                #expect(error.code == code, "\(sql): \(error)")
                #expect(error.sql == sql)
                #expect(!error.message.isEmpty)
            }
        }
        #expect(throws: DatabaseError(.parameters, "the statement takes 2 parameters but 1 were given", sql: "SELECT ?, ?")) {
            _ = try db.execute("SELECT ?, ?", [.integer(1)])
        }
    }
}
