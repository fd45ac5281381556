import Databases
import Foundation
import LuaRuntime

/// `db`: the site's management database (SQLite or PostgreSQL).
enum DatabaseBindings {
    static var module: BindingModule {
        let sql = BindingParameter("sql", "string", "one SQL statement with ? placeholders")
        let values = BindingParameter("...", "any", "values bound to the placeholders in order")
        return BindingModule("db", summary: "The site's management database. Values are always bound parameters; transaction control is the host's.", bindings: [
            Binding("query", parameters: [sql, values], results: [.init("table[]", "rows as tables keyed by column name")],
                    summary: "Runs a query and returns all its rows. A statement the database classifies as a write is recorded as a change.",
                    effect: .read, traits: .rollsBackWithStep, describe: describeSQL, body: query),
            Binding("rows", parameters: [sql, values], results: [.init("fun(): table?", "an iterator over the rows, streamed")],
                    summary: "Streams a query's rows for a generic for: `for row in db.rows(sql) do ... end`.",
                    effect: .read, traits: .rollsBackWithStep, describe: describeSQL, body: rows),
            Binding("value", parameters: [sql, values], results: [.init("any", "the first column of the first row, or nil")],
                    summary: "Runs a query and returns one value.",
                    effect: .read, traits: .rollsBackWithStep, describe: describeSQL, body: value),
            Binding("temp_table",
                    parameters: [.init("name", "string", "table name (letters, digits, _)"),
                                 .init("columns", "string[]", "column names"),
                                 .init("rows", "any[][]", "rows to insert, each an array of values in column order")],
                    results: [.init("integer", "rows inserted")],
                    summary: "Creates a temporary table for this run and bulk-inserts rows: scratch data for set-based SQL, gone when the run ends, never a change to the world.",
                    effect: .read, body: loadTempTable),
            Binding("import_csv",
                    parameters: [.init("name", "string", "table name (letters, digits, _)"),
                                 .init("path", "string", "a CSV file below the current server's root, with a header line"),
                                 .init("columns", "string[]", "the header's columns to import, in the table's column order")],
                    results: [.init("integer?", "rows imported, or nil when the file cannot be imported"),
                              .init("string?", "why not, as path:line: reason")],
                    summary: "Creates a temporary table of TEXT columns and fills it from a CSV file (header line; # comments and blank lines skipped; RFC 4180 quoting; no empty values): scratch data for set-based SQL like `db.temp_table`, read and inserted in the host without a Lua table per row. The whole file is checked first, so a bad file creates nothing.",
                    effect: .read, body: importCSV),
            Binding("exec", parameters: [sql, values], results: [.init("integer", "rows inserted, updated or deleted")],
                    summary: "Runs a statement that changes the database.",
                    analysisResult: "the affected row count inside the run's transaction, which is always rolled back",
                    traits: .rollsBackWithStep, describe: describeSQL, body: exec),
        ])
    }

    static func session(_ invocation: BindingInvocation) throws -> DatabaseSession {
        try invocation.world.resource(.database, server: "")
    }

    /// The session, made ready for `sql`: the connection stops statements at the run's deadline,
    /// and the call notes the statement, so a time limit that ends it says which one.
    static func session(_ call: borrowing LuaCall, _ invocation: BindingInvocation, sql: String) throws -> DatabaseSession {
        let session = try session(invocation)
        session.connection.deadline = call.remainingTime.map { ContinuousClock.now.advanced(by: $0) }
        call.noteActivity("\(call.functionName), SQL: \(sql)")
        return session
    }

    /// Arguments from position 2 on, as bound parameters.
    static func parameters(_ call: borrowing LuaCall) throws -> [DatabaseValue] {
        guard call.argumentCount >= 2 else { return [] }
        // Each parameter is converted, made a database value and copied by the database: the
        // two copies after the conversion are held until the call returns.
        return try (2...call.argumentCount).map { position in
            let value = try call.value(position)
            if case .string(let string) = value { try call.holdMemory(2 * string.bytes.count) }
            guard let bound = databaseValue(value) else {
                throw LuaArgumentError(function: call.functionName, position: position, "a \(value.typeName) cannot be a parameter")
            }
            return bound
        }
    }

    /// A Lua value as a bound parameter; `nil` for tables and functions, which cannot be one.
    static func databaseValue(_ value: LuaValue) -> DatabaseValue? {
        switch value {
        case .nil: .null
        case .boolean(let flag): .integer(flag ? 1 : 0)
        case .integer(let value): .integer(value)
        case .number(let value): .real(value)
        case .string(let string): string.text.map(DatabaseValue.text) ?? .blob(string.bytes)
        case .table, .function, .copy: nil
        }
    }

    static func lua(_ value: DatabaseValue) -> LuaValue {
        switch value {
        case .null: .nil
        case .integer(let value): .integer(value)
        case .real(let value): .number(value)
        case .text(let value): .text(value)
        case .blob(let bytes): .string(LuaString(bytes: bytes))
        }
    }

    /// What an open `db.rows` cursor is counted as against the memory limit.
    static let cursorBytes = 64 * 1024
    static let cursorHolder = "db.rows cursors"

    /// Bytes a row read from the database is counted as.
    static func estimatedSize(_ values: [DatabaseValue]) -> Int {
        values.reduce(64) { total, value in
            switch value {
            case .text(let text): total + 48 + text.utf8.count
            case .blob(let bytes): total + 48 + bytes.count
            default: total + 48
            }
        }
    }

    static func row(_ values: [DatabaseValue], columns: [String]) -> LuaValue {
        var table = LuaTable()
        for (column, value) in zip(columns, values) { table[column] = lua(value) }
        return .table(table)
    }

    /// Prepares a statement for a read binding; a statement the database classifies as a write is
    /// recorded as one.
    static func open(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> any DatabaseCursor {
        let sql = try call.string(1)
        let session = try session(call, invocation, sql: sql)
        try session.prepareStatement()
        let cursor = try session.connection.prepare(sql, try parameters(call))
        if cursor.effect == .write { try invocation.noteWrite(call) }
        return cursor
    }
}
