extension DatabaseURL {
    /// Opens a connection to this database.
    ///
    /// - Parameter create: whether a missing SQLite file is created (only when making a new database).
    /// - Throws: ``DatabaseError`` of kind ``DatabaseError/Kind/connection`` when it cannot be opened or reached.
    public func open(create: Bool = true) throws -> any DatabaseConnection {
        switch location {
        case .sqliteMemory:
            return try SQLiteConnection(path: ":memory:", displayName: displayName)
        case .sqliteFile(let path):
            return try SQLiteConnection(path: path, displayName: displayName, create: create)
        case .postgres(let url):
            return try PostgresConnection(url: url, displayName: displayName, password: password)
        }
    }
}

/// Parses a database URL and opens a connection to it.
///
/// See ``DatabaseURL`` for the accepted forms.
///
/// - Parameters:
///   - url: `sqlite:PATH`, `sqlite::memory:`, `postgres://…` or `postgresql://…`.
///   - baseDirectory: what a relative SQLite path is relative to.
///   - create: whether a missing SQLite file is created (only when making a new database).
/// - Throws: ``DatabaseError`` of kind ``DatabaseError/Kind/connection`` for an unknown scheme or a
///   database that cannot be opened or reached; messages never contain a password.
public func openDatabase(url: String, relativeTo baseDirectory: String, create: Bool = true) throws -> any DatabaseConnection {
    try DatabaseURL(url, relativeTo: baseDirectory).open(create: create)
}
