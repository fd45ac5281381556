import CPostgres

/// The single place where libpq outcomes become ``DatabaseError``s.
///
/// Every libpq call that can fail is checked here: results by their status and SQLSTATE,
/// connections by their status. Raw libpq codes stay inside the module.
enum PostgresStatus {
    /// Takes ownership of a result and returns it when it succeeded, throws otherwise.
    ///
    /// - Parameters:
    ///   - result: what `PQexecParams` returned (`nil` means libpq itself failed).
    ///   - connection: the connection, for its error message when there is no result.
    ///   - sql: the statement to name in the error (the caller's, not an internal rewrite).
    /// - Throws: ``DatabaseError`` with the SQLSTATE in ``DatabaseError/code``.
    static func check(_ result: OpaquePointer?, connection: OpaquePointer?, sql: String?) throws(DatabaseError) -> PostgresResult {
        guard let result else {
            throw DatabaseError(.connection, connectionMessage(connection), sql: sql)
        }
        let owned = PostgresResult(result)
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return owned
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            throw DatabaseError(.forbiddenStatement, "COPY is refused: it takes the connection out of the query protocol", sql: sql)
        default:
            let state = field(result, UInt8(ascii: "C"))
            let message = field(result, UInt8(ascii: "M")) ?? trimmed(PQresultErrorMessage(result))
            throw DatabaseError(kind(ofSQLState: state), message, code: state, sql: sql)
        }
    }

    /// Builds the error for a connection that could not be established, with any password scrubbed.
    ///
    /// - Parameters:
    ///   - connection: the (failed) connection.
    ///   - displayName: the password-free name of the database.
    ///   - secret: a password to scrub from libpq's message, if the URL had one.
    static func connectionError(_ connection: OpaquePointer?, displayName: String, secret: String?) -> DatabaseError {
        var message = connectionMessage(connection)
        if let secret, !secret.isEmpty {
            message = message.replacingAll(secret, with: "***")
        }
        return DatabaseError(.connection, "cannot connect to \(displayName): \(message)")
    }

    /// The error for a connection that broke under a statement: its message says `connection lost: `
    /// (as a lost agent connection does), so a run fails the step and leaves it to `resume`
    /// rather than reading anything from it.
    static func lostConnection(_ connection: OpaquePointer?, displayName: String, sql: String?) -> DatabaseError {
        DatabaseError(.connection, "\(displayName): connection lost: \(connectionMessage(connection))", sql: sql)
    }

    /// The ``DatabaseError/Kind`` a SQLSTATE belongs to.
    static func kind(ofSQLState state: String?) -> DatabaseError.Kind {
        guard let state else { return .execution }
        if state == "08P01" || state == "22P02" || state == "42P18" || state == "22021" { return .parameters }
        if state.hasPrefix("08") { return .connection }
        if state.hasPrefix("42") { return .syntax }
        return .execution
    }

    private static func field(_ result: OpaquePointer, _ code: UInt8) -> String? {
        PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
    }

    private static func connectionMessage(_ connection: OpaquePointer?) -> String {
        guard let connection else { return "out of memory" }
        return trimmed(PQerrorMessage(connection))
    }

    private static func trimmed(_ text: UnsafeMutablePointer<CChar>?) -> String {
        guard let text else { return "unknown libpq error" }
        var message = String(cString: text)
        while let last = message.last, last.isWhitespace { message.removeLast() }
        return message.isEmpty ? "unknown libpq error" : message
    }
}

extension String {
    /// The string with every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
