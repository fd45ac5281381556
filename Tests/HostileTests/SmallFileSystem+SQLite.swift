import Databases
import Foundation
import TestSupport

extension SmallFileSystem {
    /// Runs `;`-separated SQL statements on an SQLite file.
    static func sqlite(_ path: String, _ sql: String) throws {
        let connection = try SQLiteConnection(path: path)
        defer { connection.close() }
        for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
            _ = try connection.execute(statement, [])
        }
    }
}
