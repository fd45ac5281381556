/// Rows from PostgreSQL: fetched in batches from a server-side cursor, or held from a statement that already ran.
final class PostgresCursor: DatabaseCursor {
    let columnNames: [String]
    let effect: StatementEffect
    private let connection: PostgresConnection
    /// The server-side cursor while it is open; `nil` for held rows or once closed.
    private var cursorName: String?
    private let generation: Int
    private let sql: String
    private var batch: PostgresResult?
    private var rowInBatch = 0
    static let batchSize = 500

    /// Holds the rows of a statement that already ran.
    init(connection: PostgresConnection, buffered result: PostgresResult, effect: StatementEffect) {
        self.connection = connection
        self.columnNames = result.columnNames
        self.effect = effect
        self.generation = connection.transactionGeneration
        self.sql = ""
        self.batch = result
    }

    /// Streams a declared server-side cursor, fetching its first batch (and its column names) now.
    ///
    /// - Throws: ``DatabaseError`` when the first FETCH fails.
    init(connection: PostgresConnection, streaming name: String, sql: String, effect: StatementEffect) throws(DatabaseError) {
        self.connection = connection
        self.cursorName = name
        self.effect = effect
        self.generation = connection.transactionGeneration
        self.sql = sql
        let first = try connection.run("FETCH FORWARD \(Self.batchSize) FROM \(name)", sql: sql)
        self.columnNames = first.columnNames
        self.batch = first
    }

    deinit {
        close()
    }

    func next() throws(DatabaseError) -> [DatabaseValue]? {
        while let batch {
            if rowInBatch < batch.rowCount {
                rowInBatch += 1
                return batch.row(rowInBatch - 1)
            }
            guard let cursorName, batch.rowCount == Self.batchSize else {
                close()
                return nil
            }
            guard generation == connection.transactionGeneration else {
                close()
                throw DatabaseError(.transactionState, "the cursor's transaction has ended", sql: sql)
            }
            rowInBatch = 0
            do {
                self.batch = try connection.run("FETCH FORWARD \(Self.batchSize) FROM \(cursorName)", sql: sql)
            } catch {
                close()
                throw error
            }
        }
        return nil
    }

    func close() {
        batch = nil
        guard let cursorName else { return }
        self.cursorName = nil
        guard generation == connection.transactionGeneration else { return }
        // The cursor only read, and ending its transaction (next line) closes it anyway.
        _ = try? connection.run("CLOSE \(cursorName)", sql: "CLOSE \(cursorName)")
        connection.releaseCursorTransaction(generation: generation)
    }
}
