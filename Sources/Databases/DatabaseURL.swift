/// Where a database lives, parsed from the URL a site configuration gives.
///
/// Accepted forms:
/// - `sqlite:PATH`: a database file; a relative PATH is resolved against a base directory.
/// - `sqlite::memory:`: a private in-memory SQLite database.
/// - `postgres://…` or `postgresql://…`: handed to libpq as is (`host=` may name a socket directory).
public struct DatabaseURL: Sendable, Equatable {
    /// The backend and its address.
    public enum Location: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        case postgres(url: String)
    }

    public var location: Location
    /// A name for messages, never containing a password.
    public var displayName: String
    /// The PostgreSQL URL's password, kept only to scrub it from libpq's messages.
    var password: String?

    /// Parses a database URL.
    ///
    /// - Parameters:
    ///   - text: the URL.
    ///   - baseDirectory: what a relative SQLite path is relative to.
    /// - Throws: ``DatabaseError`` of kind ``DatabaseError/Kind/connection`` for an unknown scheme or an empty path.
    public init(_ text: String, relativeTo baseDirectory: String) throws {
        if text == "sqlite::memory:" {
            location = .sqliteMemory
            displayName = text
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw DatabaseError(.connection, "the database URL sqlite: names no file")
            }
            let resolved: String
            if path.hasPrefix("/") {
                resolved = path
            } else {
                resolved = baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
            }
            location = .sqliteFile(path: resolved)
            displayName = "sqlite:\(resolved)"
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            let (name, password) = Self.scrubbed(text)
            location = .postgres(url: text)
            displayName = name
            self.password = password
        } else {
            let scheme = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            throw DatabaseError(
                .connection,
                "unknown database URL scheme '\(scheme)': use sqlite:PATH, sqlite::memory: or postgres://"
            )
        }
    }

    /// The URL with any password replaced by `***`, and the password itself.
    static func scrubbed(_ url: String) -> (String, String?) {
        guard let schemeEnd = url.firstRange(of: "://") else { return (url, nil) }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        var name = url
        var password: String?
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            password = String(authority[authority.index(after: colon)..<at])
            name = String(url[..<colon]) + ":***" + String(url[at...])
        }
        if let query = name.firstIndex(of: "?") {
            // Query parameters may carry `password=`; they are left out of the name.
            name = String(name[..<query])
            if let value = url.split(separator: "?", maxSplits: 1).last?.split(separator: "&")
                .first(where: { $0.hasPrefix("password=") }) {
                password = String(value.dropFirst("password=".count))
            }
        }
        return (name, password)
    }
}
