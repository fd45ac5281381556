import Databases
import Foundation
import Testing

/// A fresh database file in its own temporary directory, removed with the returned closure.
func temporarySQLite() throws -> (SQLiteConnection, String, () -> Void) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-db-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("test.db").path
    let connection = try SQLiteConnection(path: path)
    return (connection, directory.path, {
        connection.close()
        try? FileManager.default.removeItem(at: directory)
    })
}

func allRows(_ cursor: any DatabaseCursor) throws -> [[DatabaseValue]] {
    var rows: [[DatabaseValue]] = []
    while let row = try cursor.next() { rows.append(row) }
    return rows
}

@Suite struct SQLiteConnectionTests {
    @Test func roundTripsEveryValueType() throws {
        let (db, _, cleanup) = try temporarySQLite()
        defer { cleanup() }
        _ = try db.execute("CREATE TABLE v(x)", [])
        let allBytes = (0...255).map { UInt8($0) } + [0, 0, 255]
        let values: [DatabaseValue] = [
            .null, .integer(0), .integer(Int64.max), .integer(Int64.min), .real(3.141592653589793), .real(-0.5e-300),
            .text(""), .text("héllo ✓"), .text("a\u{0}b\u{0}"), .blob([]), .blob(allBytes),
        ]
        for value in values {
            let outcome = try db.execute("INSERT INTO v(x) VALUES (?)", [value])
            #expect(outcome == StatementOutcome(effect: .write, affectedRows: 1))
        }
        let rows = try allRows(db.prepare("SELECT x, typeof(x), length(CAST(x AS BLOB)) FROM v ORDER BY rowid", []))
        #expect(rows.map { $0[0] } == values)
        #expect(rows[9][1] == .text("blob"))
        #expect(rows[6][1] == .text("text"))
        #expect(rows[8][2] == .integer(4))
        let matched = try allRows(db.prepare("SELECT count(*) FROM v WHERE x = ?", [.text("a\u{0}b\u{0}")]))
        #expect(matched == [[.integer(1)]])
    }

    /// Reads and writes alike on both backends: `DatabaseBehaviourTests`.
    @Test func classifiesIndexesAndPragmas() throws {
        let (db, _, cleanup) = try temporarySQLite()
        defer { cleanup() }
        #expect(try db.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)", []).effect == .write)
        #expect(try db.execute("CREATE INDEX t_b ON t(b)", []) == .init(effect: .write, affectedRows: 0))
        #expect(try db.prepare("PRAGMA table_info(t)", []).effect == .read)
        #expect(try db.prepare("pragma user_version", []).effect == .read)
    }

    @Test(arguments: [
        "RELEASE a", "END TRANSACTION",
        "begin immediate /* trailing */", "ATTACH 'x' AS y", "attach database ':memory:' as y", "DETACH y",
        "VACUUM INTO '/tmp/phasekit-never.db'", "/* c */ vacuum", "--\n  VaCuUm", "VACUUM main",
        "PRAGMA journal_mode=delete", "pragma user_version = 3", "PRAGMA main.synchronous = OFF",
        "PRAGMA foreign_keys(1)", "PRAGMA optimize", "PRAGMA wal_checkpoint",
    ])
    func refusesForbiddenStatements(sql: String) throws {
        let (db, _, cleanup) = try temporarySQLite()
        defer { cleanup() }
        for attempt in 0..<2 {
            do {
                if attempt == 0 {
                    _ = try db.execute(sql, [])
                } else {
                    _ = try db.prepare(sql, [])
                }
                Issue.record("\(sql) was not refused")
            } catch let error as DatabaseError {
                #expect(error.kind == .forbiddenStatement, "\(sql): \(error)")
                #expect(error.sql == sql)
            }
        }
        #expect(!db.isInTransaction)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/phasekit-never.db"))
    }

    @Test func refusesASecondStatement() throws {
        let (db, _, cleanup) = try temporarySQLite()
        defer { cleanup() }
        _ = try db.execute("CREATE TABLE t(a)", [])
        for sql in ["SELECT 1; SELECT 2", "INSERT INTO t VALUES (1);DROP TABLE t", "SELECT 1; /* c */ BEGIN", "SELECT 1\u{0}; DROP TABLE t"] {
            #expect(throws: DatabaseError.self) { _ = try db.execute(sql, []) }
            do {
                _ = try db.execute(sql, [])
            } catch let error as DatabaseError {
                #expect(error.kind == .forbiddenStatement, "\(sql): \(error)")
            }
        }
        #expect(try allRows(db.prepare("SELECT count(*) FROM t", [])) == [[.integer(0)]])
        #expect(try db.execute("SELECT 1; ;  -- done\n", []).effect == .read)
    }

    /// Commit and rollback alike on both backends: `DatabaseBehaviourTests`.
    @Test func closingRollsBackAnOpenTransaction() throws {
        let (db, _, cleanup) = try temporarySQLite()
        defer { cleanup() }
        _ = try db.execute("CREATE TABLE t(a)", [])
        try db.beginTransaction()
        #expect(throws: DatabaseError(.transactionState, "a transaction is already open on \(db.displayName)")) {
            try db.beginTransaction()
        }
        _ = try db.execute("INSERT INTO t VALUES (2)", [])
        try db.commit()
        try db.beginTransaction()
        _ = try db.execute("INSERT INTO t VALUES (3)", [])
        db.close()
        let reopened = try SQLiteConnection(path: String(db.displayName.dropFirst("sqlite:".count)))
        #expect(try allRows(reopened.prepare("SELECT a FROM t", [])) == [[.integer(2)]])
        reopened.close()
    }

    @Test func interruptStopsARunawayQuery() throws {
        let (db, _, cleanup) = try temporarySQLite()
        defer { cleanup() }
        var calls = 0
        db.interrupt = {
            calls += 1
            return calls > 50
        }
        do {
            _ = try db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n", [])
            Issue.record("the endless query finished")
        } catch let error as DatabaseError {
            #expect(error.code == "SQLITE_INTERRUPT")
            #expect(error.kind == .execution)
        }
        db.interrupt = nil
        #expect(try allRows(db.prepare("SELECT 1", [])) == [[.integer(1)]])
    }

    @Test func inMemoryAndClosedConnections() throws {
        let db = try SQLiteConnection(path: ":memory:")
        _ = try db.execute("CREATE TABLE t(a)", [])
        let cursor = try db.prepare("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i FROM n", [])
        #expect(try cursor.next() == [.integer(1)])
        db.close()
        #expect(throws: DatabaseError.self) { _ = try cursor.next() }
        #expect(throws: DatabaseError.self) { _ = try db.execute("SELECT 1", []) }
    }
}
