import LuaRuntime
import Volumes

/// Conversions between binding arguments/results and Lua tables, shared by the binding modules.
enum BindingValues {
    static func volume(_ volume: Volume, planned: Bool) -> LuaValue {
        var table = LuaTable([
            "name": .text(volume.name), "group": .text(volume.group), "role": .text(volume.role.rawValue),
            "size": .integer(volume.size), "tags": .table(LuaTable(array: volume.tags.map { .text($0) })),
        ])
        if planned { table["planned"] = .boolean(true) }
        return .table(table)
    }

    /// Reads a required string field of an options table.
    static func field(_ table: LuaTable, _ name: String, of function: String) throws -> String {
        guard let value = table[name].stringValue, !value.isEmpty else {
            throw LuaArgumentError(function: function, position: 1, "field '\(name)' must be a non-empty string")
        }
        return value
    }

    /// Reads a size: an integer number of bytes or a string with a unit (`"512M"`, `"2G"`).
    static func size(_ value: LuaValue, of function: String, position: Int32) throws -> Int64 {
        if let bytes = value.integerValue, bytes > 0 { return bytes }
        if let text = value.stringValue, let last = text.last {
            let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
            if let unit = units[Character(last.uppercased())], let number = Int64(text.dropLast()), number > 0 {
                let (bytes, overflow) = number.multipliedReportingOverflow(by: unit)
                if !overflow { return bytes }
            }
        }
        throw LuaArgumentError(function: function, position: position, "size must be a positive integer of bytes or a string like \"512M\", got \(value.typeName) \(value)")
    }
}
