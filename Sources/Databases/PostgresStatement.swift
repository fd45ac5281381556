import CPostgres

/// One caller statement made ready for libpq: checked, `?` translated to `$n`, values encoded.
///
/// PostgreSQL has no authorizer hook a client can install, so transaction and connection control
/// is refused here by its leading keywords (comments, case and whitespace do not matter), and the
/// connection afterwards checks that the server's transaction state is what it expects, which
/// catches anything that slipped past (such as a `DO` block that commits).
struct PostgresStatement {
    /// The caller's SQL, named in errors.
    let original: String
    /// The SQL with `$1…$n` placeholders.
    let text: String
    /// The upper-cased leading keywords.
    let leadingWords: [String]
    /// Whether the statement is a query PostgreSQL can run through a cursor or EXPLAIN.
    let isQuery: Bool
    /// Whether EXPLAIN accepts the statement.
    let isExplainable: Bool
    /// Whether an `INTO` keyword appears (`SELECT … INTO new_table` creates a table).
    let mentionsInto: Bool
    /// Parameter type OIDs (0 lets the server infer text).
    let types: [Oid]
    /// Encoded parameter values; `nil` is SQL NULL.
    let values: [[UInt8]?]
    /// 0 for text, 1 for binary (blobs).
    let formats: [Int32]

    /// Single keywords that control the transaction, the session or the protocol.
    static let forbiddenFirstWords: Set<String> = [
        "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE",
        "DEALLOCATE", "LISTEN", "UNLISTEN", "DISCARD", "VACUUM", "CHECKPOINT", "COPY", "DECLARE",
        "FETCH", "MOVE", "CLOSE", "LOAD", "RESET",
    ]

    /// Checks and translates a statement.
    ///
    /// - Parameters:
    ///   - sql: one statement with `?` placeholders.
    ///   - parameters: the values, in order.
    /// - Throws: ``DatabaseError`` for a forbidden or second statement, or parameters that do not fit.
    init(_ sql: String, _ parameters: [DatabaseValue]) throws(DatabaseError) {
        let lexer = SQLLexer(dialect: .postgres)
        let bytes = Array(sql.utf8)
        let tokens = lexer.tokens(bytes)
        original = sql

        if let semicolon = tokens.firstIndex(where: { $0.kind == .semicolon }),
           tokens[semicolon...].contains(where: { $0.kind != .semicolon }) {
            throw DatabaseError(.forbiddenStatement, "only one statement per call is allowed", sql: sql)
        }
        var words: [String] = []
        for token in tokens.prefix(3) {
            guard case .word(let word) = token.kind else { break }
            words.append(word)
        }
        leadingWords = words
        if let reason = Self.refusal(words) {
            throw DatabaseError(.forbiddenStatement, reason, sql: sql)
        }
        let first = words.first ?? ""
        let opensWithParenthesis = tokens.first?.kind == .symbol(UInt8(ascii: "("))
        isQuery = ["SELECT", "WITH", "VALUES", "TABLE"].contains(first) || opensWithParenthesis
        isExplainable = isQuery || ["INSERT", "UPDATE", "DELETE", "MERGE"].contains(first)
        mentionsInto = tokens.contains { $0.kind == .word("INTO") }

        var translated: [UInt8] = []
        translated.reserveCapacity(bytes.count + 8)
        var copied = 0
        var number = 0
        for token in tokens where token.kind == .placeholder {
            number += 1
            translated += bytes[copied..<token.range.lowerBound]
            translated += Array("$\(number)".utf8)
            copied = token.range.upperBound
        }
        translated += bytes[copied...]
        text = String(decoding: translated, as: UTF8.self)
        guard number == parameters.count else {
            throw DatabaseError(.parameters, "the statement takes \(number) parameters but \(parameters.count) were given", sql: sql)
        }

        var types: [Oid] = []
        var values: [[UInt8]?] = []
        var formats: [Int32] = []
        for value in parameters {
            switch value {
            case .null:
                types.append(0); values.append(nil); formats.append(0)
            case .integer(let integer):
                types.append(PostgresType.int8); values.append(Array(String(integer).utf8)); formats.append(0)
            case .real(let real):
                types.append(PostgresType.float8); values.append(Array(PostgresType.formatReal(real).utf8)); formats.append(0)
            case .text(let string):
                guard !string.utf8.contains(0) else {
                    throw DatabaseError(.parameters, "PostgreSQL text cannot hold NUL bytes; bind a blob instead", sql: sql)
                }
                types.append(0); values.append(Array(string.utf8)); formats.append(0)
            case .blob(let blob):
                types.append(PostgresType.bytea); values.append(blob); formats.append(1)
            }
        }
        self.types = types
        self.values = values
        self.formats = formats
    }

    /// Why leading keywords are refused, or `nil` when they are allowed.
    static func refusal(_ words: [String]) -> String? {
        guard let first = words.first else { return nil }
        let second = words.count > 1 ? words[1] : ""
        if forbiddenFirstWords.contains(first) {
            return "\(first) is refused: transactions, cursors and the session are controlled by the connection"
        }
        if first == "SET", second != "LOCAL", second != "CONSTRAINTS" {
            return "SET \(second) is refused: session settings belong to the connection (SET LOCAL inside a transaction is allowed)"
        }
        if first == "ALTER", second == "SYSTEM" {
            return "ALTER SYSTEM is refused: it changes the server, not the data"
        }
        return nil
    }

    /// Runs `body` with C views of the parameters, valid only during the call.
    func withParameters<R>(
        _ body: (Int32, [Oid], [UnsafePointer<CChar>?], [Int32], [Int32]) -> R
    ) -> R {
        let buffers: [UnsafeMutablePointer<CChar>?] = values.map { bytes in
            guard let bytes else { return nil }
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (index, byte) in bytes.enumerated() { buffer[index] = CChar(bitPattern: byte) }
            buffer[bytes.count] = 0
            return buffer
        }
        defer { buffers.forEach { $0?.deallocate() } }
        let lengths = values.map { Int32($0?.count ?? 0) }
        return body(Int32(values.count), types, buffers.map { $0.map { UnsafePointer($0) } }, lengths, formats)
    }
}
