import Databases
import Testing

@Suite struct DatabaseURLTests {
    @Test func parsesForms() throws {
        #expect(try DatabaseURL("sqlite:state/cms.db", relativeTo: "/site").location == .sqliteFile(path: "/site/state/cms.db"))
        #expect(try DatabaseURL("sqlite:/abs.db", relativeTo: "/site").location == .sqliteFile(path: "/abs.db"))
        #expect(try DatabaseURL("sqlite::memory:", relativeTo: "/site").location == .sqliteMemory)
        let pg = try DatabaseURL("postgresql://u:pw@host:5/db?sslmode=disable", relativeTo: "/")
        #expect(pg.location == .postgres(url: "postgresql://u:pw@host:5/db?sslmode=disable"))
        #expect(pg.displayName == "postgresql://u:***@host:5/db")
    }

    @Test func refusesUnknownSchemes() {
        for url in ["mysql://x", "sqlite:", "/plain/path.db"] {
            do {
                _ = try openDatabase(url: url, relativeTo: "/")
                Issue.record("\(url) opened")
            } catch let error as DatabaseError {
                #expect(error.kind == .connection)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func opensSQLiteRelativeToBase() throws {
        let db = try openDatabase(url: "sqlite::memory:", relativeTo: "/nonexistent")
        #expect(try db.execute("SELECT 1", []).effect == .read)
        #expect(db.displayName == "sqlite::memory:")
        #expect(throws: DatabaseError.self) { _ = try openDatabase(url: "sqlite:x/y.db", relativeTo: "/nonexistent-phasekit") }
    }
}
