/// The resources bindings act on during one run: real ones in execution, planned ones in analysis.
///
/// The dispatcher hands a binding the world that matches the run's mode, so a write in analysis
/// structurally cannot reach a real backend: the planned world holds planned copies (a volume pool
/// in memory seeded from the real one, services simulated from their real states, file changes
/// kept aside) and the database inside a transaction that is always rolled back.
///
/// Resources are created on first use by providers keyed by resource kind and server.
public final class World {
    /// Which world this is.
    public enum Kind: String, Sendable {
        case real
        case planned
    }

    public let kind: Kind
    private var providers: [String: (String) throws -> AnyObject] = [:]
    private var instances: [String: AnyObject] = [:]

    public init(kind: Kind) {
        self.kind = kind
    }

    /// Registers how to make the resource `key` for a server on first use.
    public func provide(_ key: String, _ make: @escaping (_ server: String) throws -> AnyObject) {
        providers[key] = make
    }

    /// The resource `key` for `server`, made on first use.
    ///
    /// - Throws: ``PhaseKitError`` when the site configures no such resource.
    ///
    /// Not optimized: Swift 6.3's release build miscompiled the specialized cast here (it passed an
    /// uninitialized metadata cache to `swift_dynamicCastClass` and crashed on the first `db.*`
    /// call); the cost is one unspecialized call per binding that touches a resource.
    @inline(never) @_optimize(none)
    public func resource<Resource>(_ key: String, server: String, as type: Resource.Type) throws -> Resource {
        let cacheKey = key + "\u{0}" + server
        if let existing = instances[cacheKey] as? Resource { return existing }
        guard let make = providers[key] else {
            throw PhaseKitError.configuration("this site configures no \(key)")
        }
        let made = try make(server)
        guard let typed = made as? Resource else {
            throw PhaseKitError.internal("resource \(key) has an unexpected type")
        }
        instances[cacheKey] = made
        return typed
    }

    /// Every resource made so far, for closing them at the end of a run.
    public var madeResources: [AnyObject] { Array(instances.values) }
}
