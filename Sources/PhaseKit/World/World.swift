import Remote

/// The resources bindings act on during one run: real ones in execution, planned ones in analysis.
///
/// The dispatcher hands a binding the world that matches the run's mode, so a write in analysis
/// structurally cannot reach a real backend: the planned world holds planned copies (a volume pool
/// in memory seeded from the real one, services simulated from their real states, file changes
/// kept aside) and the database inside a transaction that is always rolled back.
///
/// Resources are made on first use, per server, by the provider registered for their
/// ``ResourceKey``; each kind is kept in a slot of its own type.
public final class World {
    /// Which world this is.
    public enum Kind: String, Sendable {
        case real
        case planned
    }

    public let kind: Kind
    /// The agent connections its resources of servers on their own hosts use, checked after each
    /// step (``RemoteWorld/lostConnection(in:)``).
    var connections: [AgentConnection] = []
    /// In an analysis: what its servers' files areas read ahead on the other hosts, until it is closed.
    var readAhead: RemoteReadAhead?
    private var slots: [String: any ResourceSlotProtocol] = [:]

    public init(kind: Kind) {
        self.kind = kind
    }

    /// Registers how to make the resource of kind `key` for a server on first use.
    public func provide<Resource>(_ key: ResourceKey<Resource>, _ make: @escaping (_ server: String) throws -> Resource) {
        slots[key.name] = ResourceSlot(make: make)
    }

    /// The resource of kind `key` for `server`, made on first use.
    ///
    /// - Throws: ``PhaseKitError`` when the site configures no such resource, or what its provider throws.
    public func resource<Resource>(_ key: ResourceKey<Resource>, server: String) throws -> Resource {
        guard let slot = slots[key.name] else {
            throw PhaseKitError.configuration("this site configures no \(key.name)")
        }
        guard let typed = slot as? ResourceSlot<Resource> else {
            throw PhaseKitError.internal("resource \(key.name) was provided with another type")
        }
        return try typed.resource(for: server)
    }

    /// The resources of kind `key` made so far, for finishing or closing them.
    public func made<Resource>(_ key: ResourceKey<Resource>) -> [Resource] {
        (slots[key.name] as? ResourceSlot<Resource>).map { Array($0.made.values) } ?? []
    }
}

/// What ``World`` knows of a slot without its type.
protocol ResourceSlotProtocol: AnyObject {}

/// The provider of one kind of resource and what it made, by server.
final class ResourceSlot<Resource>: ResourceSlotProtocol {
    let make: (String) throws -> Resource
    var made: [String: Resource] = [:]

    init(make: @escaping (String) throws -> Resource) {
        self.make = make
    }

    func resource(for server: String) throws -> Resource {
        if let existing = made[server] { return existing }
        let resource = try make(server)
        made[server] = resource
        return resource
    }
}
