public import Services

/// A site's services as the operator manages them outside any procedure: what each server's
/// backend reports, and stopping the ones still running (`phasekit services status|stop`).
///
/// This is an operator's command, not a script: it acts on the real backends directly, under the
/// site's lock, and only after the operator confirmed it (the command asks, or `--yes`).
public enum SiteServices {
    /// One service of one server, as its backend reports it.
    public struct Entry: Sendable, Equatable {
        public var server: String
        public var name: String
        public var state: ServiceState
        /// The backend that runs it (`process`, `systemd`, `pacemaker`).
        public var backend: String
    }

    /// What stopping one service did.
    public struct Stopped: Sendable {
        public var entry: Entry
        /// Why it could not be stopped, or nil when it was.
        public var failure: String?
    }

    /// Every service of every server that has a services section, in the site's order.
    ///
    /// - Throws: what a backend throws when it cannot say (a failure is never read as "stopped").
    public static func list(_ site: SiteConfiguration) throws -> [Entry] {
        let world = WorldBuilder.world(for: site, mode: .execute)
        defer { WorldBuilder.close(world) }
        return try entries(site, world: world)
    }

    /// Stops every running service of the site's servers whose backend is `only` (every backend
    /// when nil), one after the other; a service that does not stop is reported, and the others
    /// are still stopped.
    ///
    /// - Throws: what a backend throws when it cannot list its services.
    public static func stopRunning(_ site: SiteConfiguration, only backend: String?,
                                   each: (Stopped) -> Void = { _ in }) throws -> [Stopped] {
        let world = WorldBuilder.world(for: site, mode: .execute)
        defer { WorldBuilder.close(world) }
        var results: [Stopped] = []
        for entry in try entries(site, world: world) where entry.state == .running && (backend == nil || entry.backend == backend) {
            var result = Stopped(entry: entry, failure: nil)
            do {
                try world.resource(.services, server: entry.server).manager.stop(entry.name)
                result.entry.state = .stopped
            } catch {
                result.failure = String(describing: error)
            }
            each(result)
            results.append(result)
        }
        return results
    }

    static func entries(_ site: SiteConfiguration, world: World) throws -> [Entry] {
        var entries: [Entry] = []
        for server in site.servers where server.services != nil {
            let manager = try world.resource(.services, server: server.name).manager
            for info in try manager.list() {
                entries.append(Entry(server: server.name, name: info.name, state: info.state, backend: manager.backendName))
            }
        }
        return entries
    }
}
