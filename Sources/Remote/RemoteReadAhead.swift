/// Reads ahead on a site's other hosts during an analysis, where nothing is changed.
///
/// When one server's ``RemoteFileArea`` asks for a directory (its entries, or its entries with
/// their small files' contents), the same directory below the root of every other server the run
/// is connected to is asked for too, without waiting (``AgentConnection/postRead(_:)``). A script
/// that goes through its servers one after the other (`for _, s in ipairs(hosts.list())`) then
/// finds the next host's answer there or on its way, instead of waiting for it after the
/// previous host's work.
///
/// An answer read ahead is used only by the same connection, for the same canonical directory, and
/// only while that connection carried no change since it was asked (``AgentConnection/changes``);
/// a failure read ahead is never used (the area asks again, and gets the failure of now). At most
/// ``maximumPerConnection`` reads (``maximumContentsPerConnection`` of them with contents) wait
/// per connection, so what is read and never used stays bounded; ``close()`` forgets them all.
public final class RemoteReadAhead {
    /// At most this many reads sent ahead and not taken, per connection.
    static let maximumPerConnection = 4
    /// At most this many of them with contents (each answer up to the agent's 8 MiB bound).
    static let maximumContentsPerConnection = 2

    struct Sent {
        let id: Int
        let withContents: Bool
        /// The connection's count of changes when it was sent.
        let changes: Int
    }

    /// The reads sent ahead on one connection and not taken, by canonical directory.
    struct Outstanding {
        let connection: AgentConnection
        var byDirectory: [String: [Sent]] = [:]
        var count: Int { byDirectory.values.reduce(0) { $0 + $1.count } }
        var contents: Int { byDirectory.values.reduce(0) { $0 + $1.filter(\.withContents).count } }
    }

    /// The other connections of the run, asked for at each spread (a server connected meanwhile joins).
    private let others: () -> [AgentConnection]
    private var outstanding: [ObjectIdentifier: Outstanding] = [:]
    /// The directories (relative to a root, with the kind of answer) already spread: once each.
    private var spreadAlready: Set<String> = []

    /// - Parameter others: the open connections of the run's site, this area's own among them or not.
    public init(others: @escaping () -> [AgentConnection]) {
        self.others = others
    }

    /// After `connection`'s area decided to ask for `directory` (a canonical path at or below its
    /// root): the same directory below each other server's root, asked for once per run.
    func spread(_ directory: String, withContents: Bool, from connection: AgentConnection) {
        let root = connection.welcome.root
        guard directory == root || directory.hasPrefix(root + "/") else { return }
        let relative = directory == root ? "" : String(directory.dropFirst(root.count + 1))
        guard spreadAlready.insert((withContents ? "contents:" : "nodes:") + relative).inserted else { return }
        for other in others() where other !== connection {
            let key = ObjectIdentifier(other)
            var waiting = outstanding[key] ?? Outstanding(connection: other)
            guard waiting.count < Self.maximumPerConnection, !withContents || waiting.contents < Self.maximumContentsPerConnection else { continue }
            let target = relative.isEmpty ? other.welcome.root : other.welcome.root + "/" + relative
            guard let id = other.postRead(withContents ? .filesContents(path: target) : .filesNodes(path: target)) else { continue }
            waiting.byDirectory[target, default: []].append(Sent(id: id, withContents: withContents, changes: other.changes))
            outstanding[key] = waiting
        }
    }

    /// The answer read ahead for `directory` on `connection`, taken (waiting for it when it is
    /// on its way): one with contents when there is one, one without only when `withContents` is
    /// false. Nil when there is none to use (never asked, asked before a change, or failed).
    ///
    /// - Throws: ``RemoteError/connectionLost(_:)`` when the connection broke.
    func take(_ directory: String, on connection: AgentConnection, withContents: Bool) throws -> (entries: [AgentNode], withContents: Bool)? {
        let key = ObjectIdentifier(connection)
        guard var waiting = outstanding[key], let reads = waiting.byDirectory.removeValue(forKey: directory) else { return nil }
        outstanding[key] = waiting
        let changes = connection.changes
        let usable = reads.filter { $0.changes == changes && ($0.withContents || !withContents) }
        let chosen = usable.first(where: \.withContents) ?? usable.first
        for read in reads where read.id != chosen?.id { connection.dropRead(read.id) }
        guard let chosen else { return nil }
        let answer: AgentResponse?
        do {
            answer = try connection.takeRead(chosen.id)
        } catch let error as RemoteError {
            if case .connectionLost = error { throw error }
            return nil
        } catch {
            // The agent's failure then: the area asks again, and is answered as the host is now.
            return nil
        }
        guard case .nodes(let entries)? = answer else { return nil }
        return (entries, chosen.withContents)
    }

    /// Forgets every read sent ahead and not taken (their answers are thrown away as they come).
    /// A loss found while sending one stays the server's own (``AgentConnection/lostWhileReadingAhead``):
    /// whichever pass next uses the server gets it from its first request, never a silent
    /// reconnection.
    public func close() {
        for waiting in outstanding.values {
            for read in waiting.byDirectory.values.joined() { waiting.connection.dropRead(read.id) }
        }
        outstanding = [:]
        spreadAlready = []
    }

    deinit {
        close()
    }
}
