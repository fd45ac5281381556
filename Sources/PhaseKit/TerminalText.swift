/// The one place where text that comes from data becomes terminal output.
///
/// A service name from a database, a server's file in a diff, a step's title or log line, an
/// agent's or ssh's or SQL's error text: none of it may move the cursor, recolour, retitle, clear,
/// erase or reorder what the operator reads and confirms. Every character that could is shown
/// visibly instead, so the operator also sees that something odd is there:
///
/// - C0 controls (U+0000–U+001F) and DEL (U+007F) as `\xNN` (two lowercase hex digits), so ESC is
///   `\x1b`, a carriage return `\x0d`, a backspace `\x08`. Tab passes. A newline passes only in
///   ``block(_:)`` (text whose layout means several lines), where a carriage return right before
///   it is dropped as part of the line's end (CRLF); in ``line(_:)`` it is `\x0a`.
/// - C1 controls (U+0080–U+009F) as `\uNNNN` (four lowercase hex digits), so CSI is `\u009b`.
/// - Format characters (Unicode general category Cf): the bidi marks U+200E, U+200F and U+061C,
///   embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, zero-width space U+200B,
///   joiners U+200C and U+200D, the word joiner and invisible operators U+2060–U+2064, the
///   soft hyphen U+00AD, the byte-order mark U+FEFF, tags U+E0000–U+E007F and the rest of the
///   category; and the line and paragraph separators U+2028 and U+2029 (Zl, Zp): as `\uNNNN`,
///   or `\UNNNNNNNN` (eight digits) past U+FFFF. One exception keeps emoji whole: a zero-width
///   joiner between two emoji (👩‍💻) passes.
/// - Bytes that are not UTF-8, where the text still is bytes (``line(bytes:)``), as `\xNN`; a byte
///   of 0x80 or more shown so can never be mistaken for a C1 control, which is always `\u`.
///
/// Everything else passes unchanged: printable ASCII, accented letters, CJK, emoji, combining
/// marks. A backslash is not doubled, so the form is for reading, not for reversing: the exact
/// text is in `--json` output, the reports under `state/reports/*.json` and the journal.
/// The result contains no control character but tab (and newline from ``block(_:)``), so
/// neutralizing it again changes nothing.
///
/// phasekit's own colours and the live grid's cursor movement are added by phasekit's code around
/// the neutralized text, never taken from data. The browser window shows the same form.
///
/// ```swift
/// TerminalText.line("dev\u{1B}[1A\u{1B}[2K")   // "dev\\x1b[1A\\x1b[2K"
/// TerminalText.line("abc\u{202E}fed")            // "abc\\u202efed"
/// TerminalText.block("one\r\ntwo\r")             // "one\ntwo\\x0d"
/// ```
public enum TerminalText {
    /// Text shown on one line (a name, a title, a log line): a newline is shown as `\x0a`.
    public static func line(_ text: some StringProtocol) -> String {
        neutralize(text, keepNewlines: false)
    }

    /// Text whose layout means several lines (a message, a file): newlines pass.
    public static func block(_ text: some StringProtocol) -> String {
        neutralize(text, keepNewlines: true)
    }

    /// Bytes shown on one line: valid UTF-8 as ``line(_:)`` shows it, each byte that is not part
    /// of valid UTF-8 as `\xNN`.
    public static func line(bytes: some Collection<UInt8>) -> String {
        neutralize(bytes: bytes, keepNewlines: false)
    }

    /// Bytes whose layout means several lines: as ``line(bytes:)``, newlines pass.
    public static func block(bytes: some Collection<UInt8>) -> String {
        neutralize(bytes: bytes, keepNewlines: true)
    }

    private static func neutralize(bytes: some Collection<UInt8>, keepNewlines: Bool) -> String {
        var output = ""
        var rest = Array(bytes)[...]
        var valid: [UInt8] = []
        // Valid sequences are gathered into runs, so an emoji's joiner keeps its neighbours.
        func flush() {
            output += neutralize(String(decoding: valid, as: UTF8.self), keepNewlines: keepNewlines)
            valid = []
        }
        while let first = rest.first {
            let length = sequenceLength(rest)
            if length > 0 {
                valid += rest.prefix(length)
                rest = rest.dropFirst(length)
            } else {
                flush()
                output += hex(UInt32(first), prefix: "\\x", digits: 2)
                rest = rest.dropFirst()
            }
        }
        flush()
        return output
    }

    /// The length of the valid UTF-8 sequence at the start of `bytes`, or 0 when none starts there.
    static func sequenceLength(_ bytes: ArraySlice<UInt8>) -> Int {
        guard let lead = bytes.first else { return 0 }
        let length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
        guard length > 0, bytes.count >= length else { return 0 }
        guard String(validating: bytes.prefix(length), as: UTF8.self) != nil else { return 0 }
        return length
    }

    /// Whether `scalar` is shown escaped rather than passed (newlines and zero-width joiners
    /// between emoji are decided by the caller, which knows the context).
    public static func isNeutralized(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: return false
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        default:
            switch scalar.properties.generalCategory {
            case .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    private static func neutralize(_ text: some StringProtocol, keepNewlines: Bool) -> String {
        // Printable ASCII (the bulk of what is shown, megabytes of it in a long log) passes as it
        // is, found by one pass over the bytes before any scalar is looked at.
        var plain = String(text)
        guard needsNeutralizing(&plain, keepNewlines: keepNewlines) else { return plain }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            // A carriage return ending a line (ssh writes CRLF) is part of that line's end.
            if keepNewlines && scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" { continue }
            if !isNeutralized(scalar) || (keepNewlines && scalar == "\n") || joinsEmoji(scalars, at: index) {
                output.append(scalar)
            } else {
                output.append(contentsOf: visible(scalar).unicodeScalars)
            }
        }
        return String(output)
    }

    /// Whether some scalar of `text` is shown escaped (a newline counts only without
    /// `keepNewlines`): one pass over the UTF-8 through a pointer, decoding only what is not ASCII,
    /// so that most text (megabytes of log lines, in a debug build too) is returned as it is.
    static func needsNeutralizing(_ text: inout String, keepNewlines: Bool) -> Bool {
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            var index = 0
            while index < bytes.count {
                let lead = base[index]
                if lead < 0x80 {
                    if (lead < 0x20 && lead != 0x09 && !(keepNewlines && lead == 0x0A)) || lead == 0x7F { return true }
                    index += 1
                    continue
                }
                // A String's UTF-8 is valid: the lead byte gives the length of the sequence.
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                var next = index + 1
                while next < index + length && next < bytes.count {
                    value = value << 6 | UInt32(base[next] & 0x3F)
                    next += 1
                }
                if let scalar = Unicode.Scalar(value), isNeutralized(scalar) { return true }
                index += length
            }
            return false
        }
    }

    /// Whether a byte of `text`'s UTF-8 matches `test`: a loop over the bytes through a pointer,
    /// as fast in a debug build as in a release one (megabytes of log lines are shown).
    static func containsByte(of text: inout String, where test: (UInt8) -> Bool) -> Bool {
        text.withUTF8 { bytes in
            guard var byte = bytes.baseAddress else { return false }
            let end = byte + bytes.count
            while byte < end {
                if test(byte.pointee) { return true }
                byte += 1
            }
            return false
        }
    }

    /// A zero-width joiner between two emoji, as in 👩‍💻: part of the emoji, not hidden text.
    private static func joinsEmoji(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard scalars[index] == "\u{200D}", index > 0, index + 1 < scalars.count else { return false }
        func isEmoji(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isEmojiPresentation || (scalar.value > 0xFF && scalar.properties.isEmoji) }
        // The joiner may follow a variation selector or skin tone that follows the emoji.
        var before = index - 1
        while before > 0, scalars[before].properties.isVariationSelector || scalars[before].properties.isEmojiModifier { before -= 1 }
        return isEmoji(scalars[before]) && isEmoji(scalars[index + 1])
    }

    /// The visible form of one neutralized scalar.
    static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00...0x7F: hex(scalar.value, prefix: "\\x", digits: 2)
        case 0x80...0xFFFF: hex(scalar.value, prefix: "\\u", digits: 4)
        default: hex(scalar.value, prefix: "\\U", digits: 8)
        }
    }

    private static func hex(_ value: UInt32, prefix: String, digits: Int) -> String {
        let text = String(value, radix: 16)
        return prefix + String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
