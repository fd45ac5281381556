public import LuaRuntime

/// The stated caps on what a run keeps of a script's output (docs/runtime.md, "Memory and size
/// limits"). Whatever is cut is marked where it was cut; what is kept also counts against the
/// run's memory limit (see ``RunRecorder/retainedBytes``).
public enum OutputLimits {
    /// One log line (`phase.log`, `print`, `phase.warn`).
    public static let logLineBytes = 16 * 1024
    /// All log lines of one run; later lines are dropped and one marker line says so.
    public static let logRunBytes = 4 * 1024 * 1024
    /// The summary or the detail of one finding (`phase.issue`, `phase.precondition`).
    public static let findingTextBytes = 16 * 1024
    /// One string among a recorded change's arguments and results; a longer one is kept as its
    /// size and a checksum.
    public static let changeStringBytes = 4 * 1024

    /// Room left for a truncation marker after a cut line.
    static let markerBytes = 64

    /// The marker line that replaces the log lines past ``logRunBytes``.
    public static let logDroppedMarker = "… [log truncated: the run's log passed \(logRunBytes) bytes; later lines were dropped]"

    /// `text` cut to at most `maximum` bytes (on a character boundary), the cut marked.
    public static func truncate(_ text: String, to maximum: Int) -> String {
        let size = text.utf8.count
        guard size > maximum else { return text }
        return cut(text, to: maximum) + "… [truncated: \(size) bytes in all]"
    }

    /// The values joined by tabs as `print` shows them, rendering at most about `maximum` bytes
    /// (the work stops there, however large the values), the cut marked.
    public static func describe(_ values: [LuaValue], maximum: Int = logLineBytes) -> String {
        var budget = maximum
        var parts: [String] = []
        for value in values {
            parts.append(render(value, budget: &budget))
            budget -= 1
            if budget < 0 { break }
        }
        let text = parts.joined(separator: "\t")
        guard budget < 0 || parts.count < values.count || text.utf8.count > maximum else { return text }
        return cut(text, to: maximum) + "… [truncated at \(maximum) bytes]"
    }

    /// The longest prefix of `text` of at most `maximum` bytes that ends on a character boundary.
    static func cut(_ text: String, to maximum: Int) -> String {
        let bytes = Array(text.utf8.prefix(maximum + 1))
        guard bytes.count > maximum else { return text }
        var end = maximum
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }   // not inside a UTF-8 sequence
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// `value.description`, stopping once `budget` bytes are spent (then the result is partial).
    private static func render(_ value: LuaValue, budget: inout Int) -> String {
        guard budget >= 0 else { return "" }
        switch value {
        case .string(let string):
            let bytes = string.bytes.prefix(max(0, budget) + 1)
            budget -= string.bytes.count
            return String(decoding: bytes, as: UTF8.self)
        case .table(let table):
            budget -= 2
            var items: [String] = []
            for element in table.array {
                guard budget >= 0 else { break }
                items.append(render(element, budget: &budget))
                budget -= 2
            }
            var fields: [String] = []
            for (key, element) in table.fields {
                guard budget >= 0 else { break }
                let keyText = render(key, budget: &budget)
                fields.append(keyText + "=" + render(element, budget: &budget))
                budget -= 3
            }
            return "{" + (items + fields.sorted()).joined(separator: ", ") + "}"
        default:
            let text = value.description
            budget -= text.utf8.count
            return text
        }
    }

    /// A string of a recorded change, or, past ``changeStringBytes``, its size and checksum.
    static func changeString(_ bytes: [UInt8]) -> String? {
        guard bytes.count > changeStringBytes else { return nil }
        // FNV-1a over 64-bit words (then the tail bytes): a checksum, so equal plans compare equal
        // and different contents do not, at a few passes' cost even for large strings.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBytes { buffer in
            let words = buffer.count / 8
            for index in 0..<words {
                hash = (hash ^ buffer.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) &* 0x100_0000_01b3
            }
            for index in (words * 8)..<buffer.count { hash = (hash ^ UInt64(buffer[index])) &* 0x100_0000_01b3 }
        }
        return "<\(bytes.count) bytes, checksum \(String(hash, radix: 16))>"
    }

    /// Bytes a converted Lua value is counted as when the host keeps it.
    static func estimatedSize(_ value: LuaValue) -> Int {
        switch value {
        case .string(let string): 48 + string.bytes.count
        case .table(let table):
            64 + table.array.reduce(0) { $0 + estimatedSize($1) }
                + table.fields.reduce(0) { $0 + estimatedSize($1.key) + estimatedSize($1.value) }
        default: 48
        }
    }

    /// Bytes a value is counted as when the host keeps it.
    static func estimatedSize(_ value: JSONValue) -> Int {
        switch value {
        case .string(let text): 32 + text.utf8.count
        case .array(let values): 32 + values.reduce(0) { $0 + estimatedSize($1) }
        case .object(let fields): 32 + fields.reduce(0) { $0 + 32 + $1.key.utf8.count + estimatedSize($1.value) }
        default: 16
        }
    }
}
