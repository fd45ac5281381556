public import LuaRuntime
import Foundation

/// A JSON value, used for reports, plans and journals.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        // Each JSON type in turn: a failed attempt only means the value is of another type.
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value.isFinite ? value : 0)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// A Lua value as JSON: sequences become arrays, other tables objects with string keys;
    /// bytes that are not UTF-8 are written as `{"base64": ...}`.
    public init(_ value: LuaValue) {
        self.init(value, boundingStrings: false)
    }

    /// A Lua value as a change records it: strings past ``OutputLimits/changeStringBytes`` are
    /// kept as their size and checksum.
    static func recorded(_ value: LuaValue) -> JSONValue { JSONValue(value, boundingStrings: true) }

    private init(_ value: LuaValue, boundingStrings: Bool) {
        switch value {
        case .nil: self = .null
        case .boolean(let flag): self = .bool(flag)
        case .integer(let integer): self = .int(integer)
        case .number(let number): self = .double(number)
        case .string(let string):
            if boundingStrings, let summary = OutputLimits.changeString(string.bytes) {
                self = .string(summary)
            } else if let text = string.text { self = .string(text) } else {
                self = .object(["base64": .string(Data(string.bytes).base64EncodedString())])
            }
        case .function: self = .string("<function>")
        case .copy: self = .string("<table>")
        case .table(let table):
            if table.fields.isEmpty {
                self = .array(table.array.map { JSONValue($0, boundingStrings: boundingStrings) })
            } else {
                var object: [String: JSONValue] = [:]
                for (index, element) in table.array.enumerated() {
                    object[String(index + 1)] = JSONValue(element, boundingStrings: boundingStrings)
                }
                for (key, element) in table.fields {
                    object[key.stringValue ?? key.description] = JSONValue(element, boundingStrings: boundingStrings)
                }
                self = .object(object)
            }
        }
    }

    /// A complete single-line rendering with sorted keys, for fingerprints.
    public var compactExact: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): StringLiteral.json(value)
        case .array(let values): "[" + values.map(\.compactExact).joined(separator: ",") + "]"
        case .object(let fields):
            "{" + fields.sorted { $0.key < $1.key }.map { StringLiteral.json($0.key) + ":" + $0.value.compactExact }.joined(separator: ",") + "}"
        }
    }

    /// A short single-line rendering for human output.
    public var compact: String {
        switch self {
        case .null: "nil"
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value):
            "\"" + (value.count > 60 ? String(value.prefix(57)) + "..." : value)
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
        case .array(let values): "[" + values.map(\.compact).joined(separator: ", ") + "]"
        case .object(let fields):
            "{" + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.compact)" }.joined(separator: ", ") + "}"
        }
    }
}
