import Files
import Databases
import Foundation
import LuaRuntime

/// `db.temp_table` and `db.import_csv`: scratch tables for set-based SQL.
///
/// The SQL is built here from validated identifiers, so these bindings can only create and fill a
/// temporary table of the run's connection; that is why they are declared reads. Both check all
/// their input before the table is made, so bad input leaves nothing behind.
extension DatabaseBindings {
    /// `db.temp_table(name, columns, rows)`: rows from a Lua table, each column typed from its
    /// first non-nil value, so the same call works on PostgreSQL (which needs types) and SQLite.
    static func loadTempTable(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let name = try tableName(call, position: 1)
        let columns = try columnNames(call, position: 2)
        let rows = try call.table(3).array
        // The bound values made from the (already counted) converted rows are held until the insert ends.
        try call.holdMemory(rows.reduce(0) { $0 + OutputLimits.estimatedSize($1) })
        var values: [DatabaseValue] = []
        values.reserveCapacity(rows.count * columns.count)
        for (index, row) in rows.enumerated() {
            guard case .table(let row) = row, row.array.count == columns.count, row.fields.isEmpty else {
                throw LuaArgumentError(function: call.functionName, position: 3, "row \(index + 1) must be an array of \(columns.count) values")
            }
            for value in row.array {
                guard let bound = databaseValue(value) else {
                    throw LuaArgumentError(function: call.functionName, position: 3, "row \(index + 1) holds a \(value.typeName)")
                }
                values.append(bound)
            }
        }
        let types = columns.indices.map { column -> String in
            for row in stride(from: column, to: values.count, by: columns.count) {
                switch values[row] {
                case .integer: return "BIGINT"
                case .real: return "DOUBLE PRECISION"
                case .text: return "TEXT"
                case .blob: return "BYTEA"
                case .null: continue
                }
            }
            return "TEXT"
        }
        try createTemporaryTable(name, columns: Array(zip(columns, types)), values: values, invocation)
        call.push(integer: Int64(rows.count))
        return 1
    }

    /// `db.import_csv(name, path, columns)`: a temporary table of TEXT columns filled from a CSV
    /// file of the current server's file area, without the rows ever becoming Lua values.
    ///
    /// What is wrong with the file is returned (`nil, "path:line: why"`), for the script to report
    /// as an issue; a bad table or column name is the script's own error and is raised.
    static func importCSV(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let name = try tableName(call, position: 1)
        let path = try call.string(2)
        let columns = try columnNames(call, position: 3)
        let area = try FileBindings.area(invocation)
        guard try area.exists(path) else { return try failure(&call, "\(path) does not exist") }
        // The file, and the records parsed from it, fit in what the memory limit leaves.
        let bytes = try FileBindings.readBounded(area, path, call: call)
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
        try createTemporaryTable(name, columns: columns.map { ($0, "TEXT") }, values: records.values.map(DatabaseValue.text), invocation)
        call.push(integer: Int64(records.count))
        return 1
    }

    static let identifierPattern = "^[A-Za-z_][A-Za-z0-9_]{0,62}$"

    static func isIdentifier(_ name: String) -> Bool {
        name.range(of: identifierPattern, options: .regularExpression) != nil
    }

    /// The table name argument at `position`, checked against ``identifierPattern``.
    private static func tableName(_ call: borrowing LuaCall, position: Int32) throws -> String {
        let name = try call.string(position)
        guard isIdentifier(name) else {
            throw LuaArgumentError(function: call.functionName, position: position, "table name must match \(identifierPattern)")
        }
        return name
    }

    /// The column names argument at `position`: a non-empty array of identifiers.
    private static func columnNames(_ call: borrowing LuaCall, position: Int32) throws -> [String] {
        let entries = try call.table(position).array
        let columns = entries.compactMap(\.stringValue)
        guard !columns.isEmpty, columns.count == entries.count, columns.allSatisfy(isIdentifier) else {
            throw LuaArgumentError(function: call.functionName, position: position, "column names must match \(identifierPattern)")
        }
        return columns
    }

    /// Creates the temporary table and inserts `values` (one per column, row after row) with
    /// multi-row INSERTs of about 500 bound values each.
    private static func createTemporaryTable(
        _ name: String, columns: [(name: String, type: String)], values: [DatabaseValue], _ invocation: BindingInvocation
    ) throws {
        let session = try session(invocation)
        try session.prepareStatement()
        let connection = session.connection
        let definitions = columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        _ = try connection.execute("CREATE TEMP TABLE \(name) (\(definitions))", [])
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        func insert(rows: Int) -> String { "INSERT INTO \(name) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ") }
        let rowsPerStatement = max(1, 500 / columns.count)
        let full = insert(rows: rowsPerStatement)
        let step = rowsPerStatement * columns.count
        var start = 0
        while start < values.count {
            let end = min(start + step, values.count)
            _ = try connection.execute(end - start == step ? full : insert(rows: (end - start) / columns.count), Array(values[start..<end]))
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
