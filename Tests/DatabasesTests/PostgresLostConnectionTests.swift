import Databases
import Foundation
import Testing

/// A PostgreSQL connection that breaks under a statement is a lost connection (its message says
/// `connection lost: `, as a lost agent connection does), never an SQL error and never a result.
@Suite(.enabled(if: postgresAvailable, "set PHASEKIT_TEST_POSTGRES_URL (bash Tests/Support/with-postgres.sh swift test)"))
struct PostgresLostConnectionTests {
    @Test func aTerminatedBackendIsALostConnection() throws {
        guard let url = postgresURL() else { return }
        let db = try openDatabase(url: url, relativeTo: "/")
        defer { db.close() }
        let admin = try openDatabase(url: url, relativeTo: "/")
        defer { admin.close() }
        let pid = try #require(try allRows(db.prepare("SELECT pg_backend_pid()", [])).first?.first)
        _ = try allRows(admin.prepare("SELECT pg_terminate_backend(?::int)", [pid]))
        do {
            _ = try allRows(db.prepare("SELECT 1", []))
            Issue.record("a statement on a terminated backend answered")
        } catch let error as DatabaseError {
            #expect(error.kind == .connection)
            #expect(error.message.contains("connection lost: "), "\(error.message)")
        }
    }
}
