import Databases
import Foundation
import Testing

/// The test server's URL, or `nil` (skip) when absent outside CI; in CI its absence is a failure.
func postgresURL() -> String? {
    let environment = ProcessInfo.processInfo.environment
    if let url = environment["PHASEKIT_TEST_POSTGRES_URL"], !url.isEmpty { return url }
    if environment["CI"] != nil {
        Issue.record("PHASEKIT_TEST_POSTGRES_URL is not set in CI: run through Tests/Support/with-postgres.sh")
    }
    return nil
}

let postgresAvailable = ProcessInfo.processInfo.environment["PHASEKIT_TEST_POSTGRES_URL"] != nil
    || ProcessInfo.processInfo.environment["CI"] != nil

/// A connection whose tables live in a fresh schema, dropped afterwards.
func freshPostgres() throws -> (any DatabaseConnection, () -> Void)? {
    guard let url = postgresURL() else { return nil }
    let schema = "t_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
    let schemaURL = url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
    let admin = try openDatabase(url: url, relativeTo: "/")
    _ = try admin.execute("CREATE SCHEMA \(schema)", [])
    let db = try openDatabase(url: schemaURL, relativeTo: "/")
    return (db, {
        db.close()
        _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE", [])
        admin.close()
    })
}

@Suite(.enabled(if: postgresAvailable, "set PHASEKIT_TEST_POSTGRES_URL (bash Tests/Support/with-postgres.sh swift test)"))
struct PostgresConnectionTests {
    /// The values both backends keep alike: `DatabaseBehaviourTests`.
    @Test func convertsPostgresTypes() throws {
        guard let (db, cleanup) = try freshPostgres() else { return }
        defer { cleanup() }
        _ = try db.execute("CREATE TABLE v(r double precision, n int, f boolean)", [])
        _ = try db.execute("INSERT INTO v(r, n, f) VALUES (?, 4, true)", [.real(-.infinity)])
        #expect(try allRows(db.prepare("SELECT r, n, f FROM v", [])) == [[.real(-.infinity), .integer(4), .integer(1)]])
        #expect(try allRows(db.prepare("SELECT ?, ?, ?::numeric, 'x' || ?", [.integer(7), .real(1e-300), .real(2.5), .text("y")]))
            == [[.integer(7), .real(1e-300), .real(2.5), .text("xy")]])
        #expect(throws: DatabaseError.self) { _ = try db.execute("SELECT ?", [.text("a\u{0}b")]) }
    }

    @Test func translatesPlaceholdersOutsideQuotes() throws {
        guard let (db, cleanup) = try freshPostgres() else { return }
        defer { cleanup() }
        let sql = "SELECT '?' AS a, \"?x\".y, $q$?$q$, E'\\'?', ? /* ? */ -- ?\n FROM (SELECT 1 AS y) AS \"?x\""
        #expect(try allRows(db.prepare(sql, [.integer(5)])) == [[.text("?"), .integer(1), .text("?"), .text("'?"), .integer(5)]])
        #expect(throws: DatabaseError(.parameters, "the statement takes 1 parameters but 0 were given", sql: "SELECT ?")) {
            _ = try db.execute("SELECT ?", [])
        }
    }

    /// Streaming alike on both backends: `DatabaseBehaviourTests`.
    @Test func aCursorsOwnTransactionEndsWithIt() throws {
        guard let (db, cleanup) = try freshPostgres() else { return }
        defer { cleanup() }
        let cursor = try db.prepare("SELECT g FROM generate_series(1, ?) AS g", [.integer(5000)])
        #expect(!db.isInTransaction)
        while try cursor.next() != nil {}
        // The cursor's own transaction is over: a write now commits on its own.
        _ = try db.execute("CREATE TABLE after_cursor(a int)", [])
        let early = try db.prepare("SELECT * FROM generate_series(1, 2000)", [])
        #expect(try early.next() == [.integer(1)])
        early.close()
        early.close()
        #expect(try allRows(db.prepare("SELECT count(*) FROM after_cursor", [])) == [[.integer(0)]])
    }

    /// The statements both backends classify alike: `DatabaseBehaviourTests`.
    @Test func classifiesByThePlan() throws {
        guard let (db, cleanup) = try freshPostgres() else { return }
        defer { cleanup() }
        #expect(try db.execute("CREATE TABLE t(a serial PRIMARY KEY, b text)", []) == .init(effect: .write, affectedRows: 0))
        #expect(try db.execute("INSERT INTO t(b) VALUES (?), (?)", [.text("x"), .text("y")]) == .init(effect: .write, affectedRows: 2))
        #expect(try db.prepare("WITH x AS (DELETE FROM t WHERE a = ? RETURNING a) SELECT count(*) FROM x", [.integer(1)]).effect == .write)
        #expect(try allRows(db.prepare("SELECT count(*) FROM t", [])) == [[.integer(1)]])
        #expect(try db.execute("SELECT * FROM t FOR UPDATE", []).effect == .write)
        #expect(try db.execute("SELECT * INTO t_copy FROM t", []).effect == .write)
        #expect(try db.execute("DELETE FROM t", []) == .init(effect: .write, affectedRows: 1))
    }

    @Test(arguments: [
        "RELEASE SAVEPOINT a", "start transaction", "END", "abort", "PREPARE TRANSACTION 'x'", "LISTEN chan", "SET SESSION AUTHORIZATION DEFAULT", "set role none",
        "SET statement_timeout = 0", "DISCARD ALL", "VACUUM", "/* /* nested */ */ checkpoint", "COPY (SELECT 1) TO PROGRAM 'true'",
        "DECLARE c CURSOR FOR SELECT 1", "CLOSE ALL", "RESET ALL", "SELECT 1; COMMIT",
    ])
    func refusesForbiddenStatements(sql: String) throws {
        guard let (db, cleanup) = try freshPostgres() else { return }
        defer { cleanup() }
        try DatabaseBehaviourTests.expectRefused(sql, by: db)
    }

    @Test func catchesTransactionControlThatSlipsPast() throws {
        guard let (db, cleanup) = try freshPostgres() else { return }
        defer { cleanup() }
        _ = try db.execute("CREATE TABLE t(a int)", [])
        try db.beginTransaction()
        _ = try db.execute("INSERT INTO t VALUES (1)", [])
        // A DO block cannot commit inside the connection's transaction.
        #expect(throws: DatabaseError.self) { _ = try db.execute("DO $$BEGIN COMMIT; END$$", []) }
        try db.rollback()
        #expect(try allRows(db.prepare("SELECT count(*) FROM t", [])) == [[.integer(0)]])
    }

    /// Commit and rollback alike on both backends: `DatabaseBehaviourTests`.
    @Test func aCursorDoesNotOutliveTheCommittedTransaction() throws {
        guard let (db, cleanup) = try freshPostgres() else { return }
        defer { cleanup() }
        _ = try db.execute("CREATE TABLE t(a int)", [])
        try db.beginTransaction()
        _ = try db.execute("INSERT INTO t VALUES (2)", [])
        let cursor = try db.prepare("SELECT * FROM generate_series(1, 2000)", [])
        try db.commit()
        #expect(throws: DatabaseError.self) { try db.commit() }
        #expect(try allRows(db.prepare("SELECT a FROM t", [])) == [[.integer(2)]])
        // The cursor lived in the committed transaction: once its first batch is used up it reports that.
        var fetched = 0
        #expect(throws: DatabaseError.self) { while try cursor.next() != nil { fetched += 1 } }
        #expect(fetched == 500)
    }

    /// Errors carry kind, code, message and SQL on both backends: `DatabaseBehaviourTests`.
    @Test func aRuntimeErrorCarriesItsSQLState() throws {
        guard let (db, cleanup) = try freshPostgres() else { return }
        defer { cleanup() }
        do {
            _ = try db.execute("SELECT 1 / ?", [.integer(0)])
            Issue.record("division by zero succeeded")
        } catch let error as DatabaseError {
            #expect(error.kind == .execution, "\(error)")
            #expect(error.code == "22012", "\(error)")
            #expect(error.sql == "SELECT 1 / ?")
        }
    }

    @Test func unreachableServerNamesNoPassword() throws {
        do {
            _ = try openDatabase(url: "postgres://bob:s3cretpw@/nowhere?host=/nonexistent-dir&port=1", relativeTo: "/")
            Issue.record("connected to nothing")
        } catch let error as DatabaseError {
            #expect(error.kind == .connection)
            #expect(!error.description.contains("s3cretpw"))
            #expect(error.description.contains("postgres://bob:***@/nowhere"))
        }
    }
}
