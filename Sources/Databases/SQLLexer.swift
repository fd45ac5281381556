/// A small, conservative SQL tokenizer shared by the backends.
///
/// It knows just enough SQL to find what lies outside string literals, quoted identifiers,
/// comments and (PostgreSQL) dollar-quoted strings: words, `?` placeholders, semicolons and
/// other punctuation. It is used for the first keywords of a statement (to refuse transaction
/// and connection control), for trailing text after a statement (to refuse a second statement)
/// and for translating `?` into PostgreSQL's `$n`. It never decides what a statement *does*;
/// that is the database's own classification.
struct SQLLexer {
    /// The dialect decides the comment and quoting rules.
    enum Dialect {
        /// SQLite: `/* */` comments do not nest; `'…'`, `"…"`, `` `…` `` and `[…]` quote.
        case sqlite
        /// PostgreSQL: `/* */` comments nest; `'…'`, `E'…'` (backslash escapes), `"…"` and `$tag$…$tag$` quote.
        case postgres
    }

    /// What a token is.
    enum Kind: Equatable {
        /// A keyword or bare identifier, upper-cased (ASCII only).
        case word(String)
        /// A `?` placeholder.
        case placeholder
        /// A `;`.
        case semicolon
        /// A string literal, quoted identifier or dollar-quoted string.
        case quoted
        /// Any other punctuation or operator byte.
        case symbol(UInt8)
    }

    /// One token and where it lies in the UTF-8 bytes of the SQL.
    struct Token: Equatable {
        var kind: Kind
        var range: Range<Int>
    }

    let dialect: Dialect

    /// Tokenizes UTF-8 bytes, skipping whitespace and comments.
    ///
    /// Unterminated quotes and comments run to the end of the text.
    ///
    /// - Parameters:
    ///   - bytes: the SQL's UTF-8 bytes (a slice is fine).
    func tokens<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> [Token] where Bytes.Element == UInt8, Bytes.Index == Int {
        var result: [Token] = []
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            let byte = bytes[index]
            let start = index
            if Self.isSpace(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "-") {
                while index < end, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "*") {
                index = skipBlockComment(bytes, from: index)
            } else if byte == UInt8(ascii: "'") {
                let escapes = dialect == .postgres && isEscapeStringPrefix(bytes, before: index)
                index = skipQuoted(bytes, from: index, close: byte, backslashEscapes: escapes)
                result.append(Token(kind: .quoted, range: start..<index))
            } else if byte == UInt8(ascii: "\"") || (dialect == .sqlite && byte == UInt8(ascii: "`")) {
                index = skipQuoted(bytes, from: index, close: byte, backslashEscapes: false)
                result.append(Token(kind: .quoted, range: start..<index))
            } else if dialect == .sqlite, byte == UInt8(ascii: "[") {
                while index < end, bytes[index] != UInt8(ascii: "]") { index += 1 }
                index = min(index + 1, end)
                result.append(Token(kind: .quoted, range: start..<index))
            } else if dialect == .postgres, byte == UInt8(ascii: "$"), let closeEnd = dollarQuoteEnd(bytes, from: index) {
                index = closeEnd
                result.append(Token(kind: .quoted, range: start..<index))
            } else if Self.isWordByte(byte) {
                while index < end, Self.isWordByte(bytes[index]) || (dialect == .postgres && bytes[index] == UInt8(ascii: "$")) {
                    index += 1
                }
                let word = String(decoding: bytes[start..<index], as: UTF8.self).uppercased()
                result.append(Token(kind: .word(word), range: start..<index))
            } else if byte == UInt8(ascii: "?") {
                index += 1
                result.append(Token(kind: .placeholder, range: start..<index))
            } else if byte == UInt8(ascii: ";") {
                index += 1
                result.append(Token(kind: .semicolon, range: start..<index))
            } else {
                index += 1
                result.append(Token(kind: .symbol(byte), range: start..<index))
            }
        }
        return result
    }

    /// The leading words of a statement, upper-cased, up to the first non-word token.
    ///
    /// - Parameters:
    ///   - sql: the statement.
    ///   - limit: how many words at most.
    func leadingWords(_ sql: String, limit: Int) -> [String] {
        var words: [String] = []
        for token in tokens(Array(sql.utf8)) {
            guard case .word(let word) = token.kind, words.count < limit else { break }
            words.append(word)
        }
        return words
    }

    /// Whether bytes hold nothing but whitespace, comments and semicolons.
    ///
    /// - Parameters:
    ///   - bytes: the text after a statement.
    func isBlank<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        tokens(bytes).allSatisfy { $0.kind == .semicolon }
    }

    // MARK: - Scanning helpers

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private func skipBlockComment<Bytes: RandomAccessCollection>(_ bytes: Bytes, from start: Int) -> Int
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var depth = 0
        var index = start
        let end = bytes.endIndex
        while index < end {
            if bytes[index] == UInt8(ascii: "/"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "*") {
                depth = dialect == .postgres ? depth + 1 : 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return end
    }

    private func skipQuoted<Bytes: RandomAccessCollection>(_ bytes: Bytes, from start: Int, close: UInt8, backslashEscapes: Bool) -> Int
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var index = start + 1
        let end = bytes.endIndex
        while index < end {
            let byte = bytes[index]
            if backslashEscapes, byte == UInt8(ascii: "\\") {
                index += 2
            } else if byte == close {
                if index + 1 < end, bytes[index + 1] == close {
                    index += 2
                } else {
                    return index + 1
                }
            } else {
                index += 1
            }
        }
        return end
    }

    /// Whether the `'` at `index` opens a PostgreSQL `E'…'` string (a lone `E` or `e` word before it).
    private func isEscapeStringPrefix<Bytes: RandomAccessCollection>(_ bytes: Bytes, before index: Int) -> Bool
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard index > bytes.startIndex else { return false }
        let previous = bytes[index - 1]
        guard previous == UInt8(ascii: "E") || previous == UInt8(ascii: "e") else { return false }
        return index - 1 == bytes.startIndex || !Self.isWordByte(bytes[index - 2])
    }

    /// The end of a `$tag$…$tag$` string starting at `start`, or `nil` when the `$` opens none
    /// (such as `$1`, or a `$` inside an identifier).
    private func dollarQuoteEnd<Bytes: RandomAccessCollection>(_ bytes: Bytes, from start: Int) -> Int?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let end = bytes.endIndex
        if start > bytes.startIndex, Self.isWordByte(bytes[start - 1]) || bytes[start - 1] == UInt8(ascii: "$") { return nil }
        var index = start + 1
        if index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { return nil }
        while index < end, Self.isWordByte(bytes[index]) { index += 1 }
        guard index < end, bytes[index] == UInt8(ascii: "$") else { return nil }
        let tag = Array(bytes[start...index])
        index += 1
        while index + tag.count <= end {
            if bytes[index] == UInt8(ascii: "$"), bytes[index..<(index + tag.count)].elementsEqual(tag) {
                return index + tag.count
            }
            index += 1
        }
        return end
    }
}
