import Foundation
import LuaRuntime

extension DatabaseBindings {
    /// How a write of `db` is described: `db.exec`'s calls, and the statements `db.query`,
    /// `db.rows` and `db.value` ran that the database classified as writes.
    static func describeSQL(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        ChangeDescription(describe(sql: try call.string(1)))
    }

    /// An SQL write in a few words: its verb and table, such as "SQL update of io_requests".
    ///
    /// The statement itself stays in the change's raw call (`--verbose`, JSON); scripts say what
    /// it means with `phase.change(description, fn)`.
    static func describe(sql: String) -> String {
        let words = sql.split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == ";" }).prefix(8).map(String.init)
        guard let verb = words.first?.lowercased() else { return "SQL statement (empty)" }
        func word(after keyword: String) -> String? {
            guard let index = words.firstIndex(where: { $0.lowercased() == keyword }), index + 1 < words.count else { return nil }
            return words[index + 1]
        }
        let table: String? = switch verb {
        case "update": words.dropFirst().first { !["or", "rollback", "abort", "replace", "fail", "ignore", "only"].contains($0.lowercased()) }
        case "insert", "replace": word(after: "into")
        case "delete": word(after: "from")
        case "create", "drop", "alter": word(after: "table") ?? word(after: "index") ?? word(after: "view")
        default: nil
        }
        guard let table else { return "SQL \(verb) statement" }
        return "SQL \(verb) of \(table)"
    }
}
