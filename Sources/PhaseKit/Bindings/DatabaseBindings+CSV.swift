import Databases
import Foundation
import LuaRuntime

extension DatabaseBindings {
    /// `db.import_csv(name, path, columns)`: a temporary table filled from a CSV file of the
    /// current server's file area, without the rows ever becoming Lua values.
    ///
    /// The whole file is checked before the table is made, so a bad file leaves nothing behind.
    /// What is wrong with the file is returned (`nil, "path:line: why"`), for the script to report
    /// as an issue; a bad table or column name is the script's own error and is raised.
    static func importCSV(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let name = try call.string(1)
        guard isIdentifier(name) else {
            throw LuaArgumentError(function: call.functionName, position: 1, "table name must match \(identifierPattern)")
        }
        let path = try call.string(2)
        let columns = try call.table(3).array.compactMap(\.stringValue)
        guard !columns.isEmpty, columns.count == (try call.table(3)).array.count, columns.allSatisfy(isIdentifier) else {
            throw LuaArgumentError(function: call.functionName, position: 3, "column names must match \(identifierPattern)")
        }
        let area = try FileBindings.area(invocation)
        guard try area.exists(path) else { return try failure(&call, "\(path) does not exist") }
        let bytes = try area.read(path)
        let dispatcher = invocation.dispatcher
        if dispatcher.fingerprinting {
            // A saved plan must notice a changed file, not only a changed row count.
            dispatcher.noteRead(call.functionName + " file", arguments: [.text(path)], results: [.text(SHA256.hex(bytes))], server: invocation.server)
        }
        let records: CSVRecords
        do {
            records = try CSVRecords(parsing: bytes, file: path, columns: columns)
        } catch {
            return try failure(&call, error.description)
        }
        let session = try session(invocation)
        try session.prepareStatement()
        let definitions = columns.map { "\($0) TEXT" }.joined(separator: ", ")
        _ = try session.connection.execute("CREATE TEMP TABLE \(name) (\(definitions))", [])
        try insert(records.values, into: name, columns: columns.count, connection: session.connection)
        call.push(integer: Int64(records.count))
        return 1
    }

    static let identifierPattern = "^[A-Za-z_][A-Za-z0-9_]{0,62}$"

    static func isIdentifier(_ name: String) -> Bool {
        name.range(of: identifierPattern, options: .regularExpression) != nil
    }

    /// Inserts `values` (`columns` per row) with multi-row INSERTs of about 500 bound values each.
    static func insert(_ values: [String], into table: String, columns: Int, connection: any DatabaseConnection) throws {
        let rowsPerStatement = max(1, 500 / columns)
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let full = "INSERT INTO \(table) VALUES " + Array(repeating: row, count: rowsPerStatement).joined(separator: ", ")
        let step = rowsPerStatement * columns
        var start = 0
        while start < values.count {
            let end = min(start + step, values.count)
            let sql = end - start == step ? full
                : "INSERT INTO \(table) VALUES " + Array(repeating: row, count: (end - start) / columns).joined(separator: ", ")
            _ = try connection.execute(sql, values[start..<end].map(DatabaseValue.text))
            start = end
        }
    }

    /// `nil, message`: the file cannot be imported.
    private static func failure(_ call: inout LuaCall, _ message: String) throws -> Int32 {
        try call.push(.nil)
        try call.push(.text(message))
        return 2
    }
}
