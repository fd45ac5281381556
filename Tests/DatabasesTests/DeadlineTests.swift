import Databases
import Foundation
import Testing

/// A connection's deadline stops a statement that would run on (a run's time limit inside the database).
@Suite("Statements stop at the connection's deadline")
struct DeadlineTests {
    static let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

    @Test func sqliteInterruptsAnEndlessQueryAtTheDeadline() throws {
        let db = try SQLiteConnection(path: ":memory:")
        defer { db.close() }
        db.deadline = ContinuousClock.now.advanced(by: .milliseconds(300))
        let started = ContinuousClock.now
        let error = #expect(throws: DatabaseError.self) { _ = try db.execute(Self.endless, []) }
        #expect(error?.message.contains("interrupted") == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(2))
        db.deadline = nil
        let cursor = try db.prepare("SELECT 41 + 1", [])
        defer { cursor.close() }
        #expect(try cursor.next() == [.integer(42)], "without a deadline statements run again")
    }

    /// The cap itself is exercised in a process of its own (HostileTests' cross join ORDER BY
    /// random()): the heap limit is process-wide, and filling it here would starve other tests.
    @Test func sqliteKeepsTemporaryStorageInMemoryUnderTheHeapCap() throws {
        let db = try SQLiteConnection(path: ":memory:")
        defer { db.close() }
        let pragma = try db.prepare("PRAGMA temp_store", [])
        defer { pragma.close() }
        #expect(try pragma.next() == [.integer(2)], "temporary storage is kept in memory")
        let limit = try db.prepare("PRAGMA hard_heap_limit", [])
        defer { limit.close() }
        #expect(try limit.next() == [.integer(64 << 20)])
    }

    @Test(.enabled(if: postgresAvailable, "set PHASEKIT_TEST_POSTGRES_URL (bash Tests/Support/with-postgres.sh swift test)"))
    func postgresCancelsAStatementAtTheDeadline() throws {
        guard let (db, cleanup) = try freshPostgres() else { return }
        defer { cleanup() }
        let connection = db
        connection.deadline = ContinuousClock.now.advanced(by: .milliseconds(500))
        let started = ContinuousClock.now
        let error = #expect(throws: DatabaseError.self) { _ = try connection.execute("SELECT pg_sleep(30)", []) }
        #expect(error?.message.contains("statement timeout") == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(3))
        connection.deadline = nil
        #expect(try connection.execute("SELECT pg_sleep(0.6)", []).effect == .read, "the timeout is lifted with the deadline")
    }
}
