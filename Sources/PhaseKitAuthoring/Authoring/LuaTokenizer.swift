/// Splits Lua source into the tokens ``LuaSourceScanner`` reads: names, symbols, and strings and
/// numbers without their text. Comments and the inside of strings (short or long brackets) produce
/// no tokens; every token remembers the line it starts on.
struct LuaTokenizer {
    typealias Token = LuaSourceScanner.Token

    private let text: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var tokens: [Token] = []

    private init(_ text: [Unicode.Scalar]) {
        self.text = text
    }

    /// The tokens of a whole source text, in order.
    static func tokenize(_ text: [Unicode.Scalar]) -> [Token] {
        var tokenizer = LuaTokenizer(text)
        while tokenizer.step() {}
        return tokenizer.tokens
    }

    /// Reads what starts at the current index: a token, a comment or white space.
    ///
    /// - Returns: `false` at the end of the text.
    private mutating func step() -> Bool {
        guard let scalar = peek() else { return false }
        let start = line
        if scalar == "\n" {
            line += 1
            index += 1
        } else if scalar.properties.isWhitespace {
            index += 1
        } else if scalar == "-", peek(1) == "-" {
            skipComment()
        } else if let level = longBracketLevel() {
            skipLongBracket(level)
            append(.string, "", start)
        } else if scalar == "\"" || scalar == "'" {
            skipQuotedString(scalar)
            append(.string, "", start)
        } else if scalar.properties.isAlphabetic || scalar == "_" {
            append(.name, readName(), start)
        } else if Self.isDigit(scalar) || (scalar == "." && peek(1).map(Self.isDigit) == true) {
            skipNumber()
            append(.number, "", start)
        } else {
            append(.symbol, readSymbol(scalar), start)
        }
        return true
    }

    private mutating func append(_ kind: Token.Kind, _ text: String, _ line: Int) {
        tokens.append(Token(kind: kind, text: text, line: line))
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < text.count ? text[index + offset] : nil
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    /// `[[`, `[==[`: the level, when a long bracket opens at the current index.
    private func longBracketLevel() -> Int? {
        guard peek() == "[" else { return nil }
        var level = 0
        while peek(1 + level) == "=" { level += 1 }
        return peek(1 + level) == "[" ? level : nil
    }

    /// Skips a long bracket of `level` from its opening to past its closing (or to the end).
    private mutating func skipLongBracket(_ level: Int) {
        index += level + 2
        let close = "]" + String(repeating: "=", count: level) + "]"
        let closing = Array(close.unicodeScalars)
        while index < text.count {
            if text[index] == "\n" { line += 1 }
            if text[index] == "]", index + closing.count <= text.count, Array(text[index..<(index + closing.count)]) == closing {
                index += closing.count
                return
            }
            index += 1
        }
    }

    /// Skips a `--` comment: a long bracket one, or to the end of the line.
    private mutating func skipComment() {
        index += 2
        if let level = longBracketLevel() {
            skipLongBracket(level)
            return
        }
        while let next = peek(), next != "\n" { index += 1 }
    }

    /// Skips a string quoted with `quote`, escapes included; an unfinished one ends at the line's end.
    private mutating func skipQuotedString(_ quote: Unicode.Scalar) {
        index += 1
        while let next = peek(), next != quote, next != "\n" {
            if next == "\\" {
                if peek(1) == "\n" { line += 1 }
                index += 2
            } else {
                index += 1
            }
        }
        index += 1
    }

    /// Reads a name or keyword.
    private mutating func readName() -> String {
        var name = ""
        while let next = peek(), next.properties.isAlphabetic || next == "_" || Self.isDigit(next) {
            name.unicodeScalars.append(next)
            index += 1
        }
        return name
    }

    /// Skips a numeral, exponents with their sign included.
    private mutating func skipNumber() {
        while let next = peek(), next.properties.isAlphabetic || Self.isDigit(next) || next == "."
            || ((next == "+" || next == "-") && index > 0 && ["e", "E", "p", "P"].contains(text[index - 1])) {
            index += 1
        }
    }

    /// Reads a symbol starting with `scalar`: `..`, `...`, a two-character operator, or one character.
    private mutating func readSymbol(_ scalar: Unicode.Scalar) -> String {
        if scalar == ".", peek(1) == "." {
            let dots = peek(2) == "." ? 3 : 2
            index += dots
            return String(repeating: ".", count: dots)
        }
        if let pair = ["==", "~=", "<=", ">=", "//", "::", "<<", ">>"].first(where: {
            $0.unicodeScalars.first == scalar && $0.unicodeScalars.last == peek(1)
        }) {
            index += 2
            return pair
        }
        index += 1
        return String(scalar)
    }
}
