import Databases
import Foundation
import LuaRuntime

/// The bodies of `db.query`, `db.rows`, `db.value` and `db.exec` (declared in ``DatabaseBindings/module``).
extension DatabaseBindings {
    /// `db.query(sql, ...)`: every row, as a table keyed by column name.
    static func query(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let cursor = try open(call, invocation)
        defer { cursor.close() }
        var rows: [LuaValue] = []
        // The rows are held here and then copied into Lua: both count against the limit.
        var held = 0
        while let values = try cursor.next() {
            held += estimatedSize(values)
            if held > 1 << 20 {
                try call.holdMemory(2 * held)
                held = 0
            }
            rows.append(row(values, columns: cursor.columnNames))
        }
        try call.holdMemory(2 * held)
        try call.push(.table(LuaTable(array: rows)))
        return 1
    }

    /// `db.rows(sql, ...)`: an iterator streaming the rows.
    static func rows(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        // An open cursor holds a prepared statement, its buffers and the iterator: counted
        // as `cursorBytes` until the loop has read the last row.
        try call.addHostMemory(cursorHolder, bytes: cursorBytes)
        let cursor: any DatabaseCursor
        do {
            cursor = try open(call, invocation)
        } catch {
            try call.addHostMemory(cursorHolder, bytes: -cursorBytes)
            throw error
        }
        let dispatcher = invocation.dispatcher
        let server = invocation.server   // the server now, not when the loop goes on
        let name = call.functionName
        let activity = "\(name) iterator, SQL: \(try call.string(1))"
        var open = true
        call.push(function: name + " iterator") { next in
            next.noteActivity(activity)
            guard open, let values = try cursor.next() else {
                if open {
                    open = false
                    cursor.close()
                    try next.addHostMemory(cursorHolder, bytes: -cursorBytes)
                }
                try next.push(.nil)
                return 1
            }
            let item = row(values, columns: cursor.columnNames)
            dispatcher.noteRead(name + " row", arguments: [], results: [item], server: server)
            try next.push(item)
            return 1
        }
        return 1
    }

    /// `db.value(sql, ...)`: the first column of the first row.
    static func value(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let cursor = try open(call, invocation)
        defer { cursor.close() }
        try call.push(try cursor.next()?.first.map(lua) ?? .nil)
        return 1
    }

    /// `db.exec(sql, ...)`: the affected row count.
    static func exec(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let sql = try call.string(1)
        let session = try session(call, invocation, sql: sql)
        try session.prepareStatement()
        let outcome = try session.connection.execute(sql, try parameters(call))
        call.push(integer: Int64(outcome.affectedRows))
        return 1
    }
}
