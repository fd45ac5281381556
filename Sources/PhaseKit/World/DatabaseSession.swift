public import Databases

/// The run's connection to the site database, with the transaction discipline of its world.
///
/// - Planned world: one transaction opened at once and always rolled back at the end, so every
///   statement of the analysis (and every later read) sees the planned writes and none survives.
/// - Real world: a transaction per step, opened on the step's first statement, committed when the
///   step succeeds and rolled back when it fails, so each step's writes land atomically.
public final class DatabaseSession {
    public let connection: any DatabaseConnection
    public let isPlanned: Bool

    public init(connection: any DatabaseConnection, isPlanned: Bool) throws {
        self.connection = connection
        self.isPlanned = isPlanned
        if isPlanned { try connection.beginTransaction() }
    }

    /// Makes sure a transaction is open before a statement runs.
    func prepareStatement() throws {
        if !connection.isInTransaction { try connection.beginTransaction() }
    }

    /// Ends a step: commits its writes in the real world; keeps the run's transaction in the planned one.
    public func finishStep(success: Bool) throws {
        guard !isPlanned, connection.isInTransaction else { return }
        if success {
            try connection.commit()
            CrashPoints.reached(.commit)
        } else {
            try connection.rollback()
        }
    }

    /// Commits the planned world's transaction: only for a staged execution (``StagedRun``), whose
    /// plan holds nothing but this database's writes, so committing it is the execution.
    func commitStaged() throws {
        guard isPlanned, connection.isInTransaction else { return }
        try connection.commit()
        CrashPoints.reached(.commit)
    }

    /// Ends the run: the planned world's transaction is rolled back (unless a staged execution
    /// committed it), whatever happened.
    public func close() {
        // Closing the connection (next line) ends its session, which rolls back whatever is open:
        // a ROLLBACK that fails here changes nothing.
        if isPlanned || connection.isInTransaction { try? connection.rollback() }
        connection.close()
    }
}
