extension PostgresConnection {
    /// Prepares and starts a statement, classified by the server's own plan.
    ///
    /// Classification: statements EXPLAIN accepts are explained (`EXPLAIN (FORMAT JSON)`, with the
    /// same parameters); a `ModifyTable` node anywhere (data-modifying CTEs included) or a
    /// `LockRows` node (`FOR UPDATE`/`FOR SHARE` write row locks) means write, and so does
    /// `SELECT … INTO`, which creates a table. Statements EXPLAIN refuses (DDL, GRANT, ...) are
    /// writes. Functions with side effects called from a SELECT are not visible in a plan and are
    /// classified read; the role's privileges are the boundary there.
    ///
    /// Reads that are queries stream through a server-side cursor (`DECLARE … NO SCROLL CURSOR`,
    /// `FETCH 500` at a time). Cursors need a transaction: when none is open, the connection opens
    /// one for the cursor's life and commits it when the last such cursor is closed or exhausted;
    /// other statements run meanwhile run inside it. Everything else runs at once and its rows
    /// (a write's `RETURNING` rows) are held by the cursor.
    ///
    /// - Parameters:
    ///   - sql: one statement with `?` placeholders.
    ///   - parameters: the values bound to the placeholders in order.
    /// - Throws: ``DatabaseError`` with the SQLSTATE as its code.
    public func prepare(_ sql: String, _ parameters: [DatabaseValue]) throws -> any DatabaseCursor {
        let statement = try PostgresStatement(sql, parameters)
        let effect = try classify(statement)
        guard effect == .read, statement.isQuery else {
            let result = try run(statement)
            return PostgresCursor(connection: self, buffered: result, effect: effect)
        }
        let openedTransaction = transactionState == .idle
        if openedTransaction {
            _ = try run("BEGIN", sql: sql)
            transactionState = .implicit(cursors: 0)
        }
        if case .implicit(let cursors) = transactionState {
            transactionState = .implicit(cursors: cursors + 1)
        }
        let name = nextCursorName()
        do {
            _ = try run(statement, prefix: "DECLARE \(name) NO SCROLL CURSOR FOR ")
            return try PostgresCursor(connection: self, streaming: name, sql: sql, effect: effect)
        } catch {
            releaseCursorTransaction(generation: transactionGeneration)
            throw error
        }
    }

    /// Classifies a statement by the server's plan; see ``prepare(_:_:)``.
    func classify(_ statement: PostgresStatement) throws(DatabaseError) -> StatementEffect {
        guard statement.isExplainable else { return .write }
        let plan = try run(statement, prefix: "EXPLAIN (FORMAT JSON) ")
        let json = plan.text(row: 0, column: 0) ?? ""
        if json.contains("\"Node Type\": \"ModifyTable\"") || json.contains("\"Node Type\": \"LockRows\"") {
            return .write
        }
        return statement.mentionsInto ? .write : .read
    }

    /// A streaming cursor is done: when it was the last in the connection's own transaction, commit it.
    func releaseCursorTransaction(generation: Int) {
        guard generation == transactionGeneration, case .implicit(let cursors) = transactionState else { return }
        if cursors > 1 {
            transactionState = .implicit(cursors: cursors - 1)
        } else {
            // The transaction only kept read cursors alive (nothing was written in it): a failed
            // COMMIT loses nothing, and a broken connection fails the next statement.
            try? endTransaction("COMMIT")
        }
    }
}
