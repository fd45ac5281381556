/// Double-quoted string literals: the one escaping the engine uses when it writes a string into
/// JSON text (the generated `.luarc.json`, fingerprints) or into Lua source (LuaCATS literal
/// types, `docs/api.md`).
///
/// Quotes and backslashes are escaped, newline, carriage return and tab as `\n`, `\r`, `\t`, and
/// any other control character in the form each language reads.
public enum StringLiteral {
    /// A JSON string literal; other control characters as `\u00XX`.
    public static func json(_ value: String) -> String {
        quoted(value) { control in
            let hex = String(control, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }

    /// A Lua string literal; other control characters as decimal escapes `\ddd`.
    package static func lua(_ value: String) -> String {
        quoted(value) { control in
            let decimal = String(control)
            return "\\" + String(repeating: "0", count: 3 - decimal.count) + decimal
        }
    }

    private static func quoted(_ value: String, control: (UInt32) -> String) -> String {
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20: escaped += control(scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
