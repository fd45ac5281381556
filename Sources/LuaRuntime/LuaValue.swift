/// A Lua string: bytes, exactly as Lua holds them (embedded NULs and invalid UTF-8 included).
public struct LuaString: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }
    public init(stringLiteral value: String) { self.init(value) }

    /// The text when the bytes are valid UTF-8, otherwise `nil`.
    public var text: String? { String(validating: bytes, as: UTF8.self) }

    /// The text, with invalid UTF-8 replaced by U+FFFD.
    public var description: String { String(decoding: bytes, as: UTF8.self) }
}

/// A plain Lua value: what crosses between scripts and the host.
///
/// Integers and floats stay distinct as in Lua 5.4. Tables keep their array part (keys 1...n)
/// apart from their other keys. Functions cross only as ``LuaFunction`` references where the host
/// asks for them; elsewhere a function, userdata, thread or a cyclic table is an error.
public enum LuaValue: Sendable, Hashable, CustomStringConvertible {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(LuaString)
    case table(LuaTable)
    case function(LuaFunction)
    /// A fresh copy of a table kept in the state (see ``LuaTableTemplate``). Only ever pushed:
    /// values read back from Lua are never copies.
    case copy(of: LuaTableTemplate)

    /// A string value from Swift text.
    public static func text(_ text: String) -> LuaValue { .string(LuaString(text)) }

    /// The string's text, when this is a valid UTF-8 string.
    public var stringValue: String? {
        if case .string(let string) = self { return string.text }
        return nil
    }

    /// The integer, also from a float with an exact integer value (as `math.tointeger` does).
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value):
            return value.rounded() == value && abs(value) < 9.2e18 ? Int64(value) : nil
        default: return nil
        }
    }

    /// The table, when this is one.
    public var tableValue: LuaTable? {
        if case .table(let table) = self { return table }
        return nil
    }

    /// Lua's type name: "nil", "boolean", "number", "string", "table", "function".
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table, .copy: "table"
        case .function: "function"
        }
    }

    public var description: String {
        switch self {
        case .nil: "nil"
        case .boolean(let value): String(value)
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): value.description
        case .table(let table): table.description
        case .copy: "table (a copy of a template)"
        case .function: "function"
        }
    }
}

/// A Lua table as a value: its sequence and its other keys.
public struct LuaTable: Sendable, Hashable, CustomStringConvertible {
    /// Values at keys 1...n, in order.
    public var array: [LuaValue]
    /// Every other key.
    public var fields: [LuaValue: LuaValue]

    public init(array: [LuaValue] = [], fields: [LuaValue: LuaValue] = [:]) {
        self.array = array
        self.fields = fields
    }

    /// A table with string keys.
    public init(_ fields: [String: LuaValue]) {
        self.array = []
        self.fields = Dictionary(uniqueKeysWithValues: fields.map { (LuaValue.text($0.key), $0.value) })
    }

    /// The value at a string key, or `.nil`.
    public subscript(_ key: String) -> LuaValue {
        get { fields[.text(key)] ?? .nil }
        set { fields[.text(key)] = newValue == .nil ? nil : newValue }
    }

    public var description: String {
        let items = array.map(\.description) + fields.map { "\($0.key)=\($0.value)" }.sorted()
        return "{" + items.joined(separator: ", ") + "}"
    }
}
