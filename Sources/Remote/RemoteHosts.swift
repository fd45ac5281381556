import Synchronization

/// The connections of this process's run, one per server: made on first use (or all at once
/// before the run, to check them) and kept until the process ends or ``closeAll()``.
///
/// A read-only connection serves analysis; an execution asks for a writable one, which then
/// also serves its analysis passes (the planned world only ever reads through it).
public final class RemoteHosts: Sendable {
    /// The process's connections.
    public static let shared = RemoteHosts()

    private let connections = Mutex<[String: AgentConnection]>([:])
    /// Every key a connection was made for, kept after it closed or broke.
    private let made = Mutex<Set<String>>([])

    public init() {}

    /// The connection for `key` (a site and server), made by `make` when there is none, or when
    /// a writable one is wanted and the one there is read-only, or the one there broke.
    ///
    /// One that broke while a read was sent ahead on it is handed out as it is, once: its first
    /// request throws the loss, as a request of its own would have found it.
    public func connection(key: String, readOnly: Bool, make: (_ readOnly: Bool) throws -> AgentConnection) throws -> AgentConnection {
        if let existing = connections.withLock({ $0[key] }), readOnly || !existing.welcome.readOnly,
           !existing.isBroken || existing.lostWhileReadingAhead {
            return existing
        }
        let connection = try make(readOnly)
        made.withLock { _ = $0.insert(key) }
        let replaced = connections.withLock { table -> AgentConnection? in
            defer { table[key] = connection }
            return table[key]
        }
        replaced?.close()
        return connection
    }

    /// Whether a connection for `key` was ever made in this process (a failure to make one now
    /// is then a failure to reconnect).
    public func wasConnected(key: String) -> Bool {
        made.withLock { $0.contains(key) }
    }

    /// The connections that work now whose keys start with `prefix` (one site's).
    public func open(keysStartingWith prefix: String) -> [AgentConnection] {
        connections.withLock { table in table.filter { $0.key.hasPrefix(prefix) }.map(\.value) }.filter { !$0.isBroken }
    }

    /// Forgets (and closes) the connection for `key`.
    public func drop(key: String) {
        connections.withLock { $0.removeValue(forKey: key) }?.close()
    }

    /// Closes every connection.
    public func closeAll() {
        let all = connections.withLock { table -> [AgentConnection] in
            defer { table = [:] }
            return Array(table.values)
        }
        for connection in all { connection.close() }
    }
}
