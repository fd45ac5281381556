import Databases
import Files
import Foundation
import HostSystem
import Remote
import Volumes

/// Builds the world a run's bindings act on from a site: real backends for execution, planned
/// copies for analysis. Backends are made on first use, so a script that touches no database
/// needs no database.
public enum WorldBuilder {
    /// The world for `mode`: `.real` for execution, `.planned` for analysis.
    public static func world(for site: SiteConfiguration?, mode: RunMode, procedure: String? = nil) -> World {
        let world = World(kind: mode == .execute ? .real : .planned)
        guard let site else { return world }
        let planned = mode == .analyze
        world.provide(.site) { _ in site }
        world.provide(.database) { _ in
            guard let url = site.database else {
                throw PhaseKitError.configuration("\(site.file): no database is configured (add database: sqlite:PATH or postgres://...)")
            }
            // Never created here: a missing SQLite file is refused when the site is loaded, and only
            // `phasekit sample-site` makes a database.
            return try DatabaseSession(connection: try openDatabase(url: url, relativeTo: site.directory, create: false), isPlanned: planned)
        }
        world.provide(.volumes) { [weak world] serverName in
            let server = try site.server(named: serverName)
            if server.host != nil { return try RemoteWorld.volumes(server, site: site, planned: planned, world: world) }
            guard planned else {
                guard let pool = try realPool(server, site: site, create: true) else { throw PhaseKitError.internal("no pool") }
                return VolumeResource(pool: pool, isPlanned: false)
            }
            // Analysis creates nothing: a pool directory that does not exist yet plans from empty.
            let copy = try realPool(server, site: site, create: false).map { try InMemoryVolumePool(copying: $0) } ?? InMemoryVolumePool()
            return VolumeResource(pool: copy, isPlanned: true)
        }
        // One planned store for every server: their roots may nest, and a change planned through
        // one area must be seen (and refused) through another as execution would.
        let plannedFiles = PlannedFiles()
        world.provide(.files) { [weak world] serverName in
            let server = try site.server(named: serverName)
            // A server on its own host plans in a store of its own: its paths are paths there.
            if server.host != nil { return try RemoteWorld.files(server, site: site, planned: planned, plannedFiles: PlannedFiles(), world: world) }
            let root = server.root
            let protected = protectedFiles(of: site, root: root)
            return planned ? PlannedFileArea(base: try RealFileArea(root: root, create: false, protected: protected), planned: plannedFiles)
                : try RealFileArea(root: root, protected: protected)
        }
        ServiceWorld.provide(in: world, site: site, planned: planned, procedure: procedure)
        return world
    }

    /// phasekit's own files below a server root, as canonical paths relative to its canonical root
    /// (the form ``FilePaths/resolve(_:root:lookup:)`` gives every script path): `state/`,
    /// `site.yaml`, `scripts/`, an SQLite database with its journal, WAL and shared-memory files,
    /// and every server's `dir` volume pool (changed only through `volumes.*`).
    static func protectedFiles(of site: SiteConfiguration, root: String) -> [String] {
        let resolvedRoot = FilePaths.canonical(root) ?? FilePaths.canonicalAbsolute(root)
        var owned = [site.stateDirectory, site.file, site.scriptsDirectory]
        if let url = site.database, url.hasPrefix("sqlite:"), !url.hasPrefix("sqlite::memory:") {
            let database = SiteConfiguration.resolve(String(url.dropFirst("sqlite:".count)), base: site.directory)
            owned += ["", "-journal", "-wal", "-shm"].map { database + $0 }
        }
        for server in site.servers {
            if let volumes = server.volumes, volumes.backend == .dir { owned.append(volumes.path ?? server.root + "/volumes") }
        }
        return owned.map(FilePaths.canonicalAbsolute).compactMap { path in
            path.hasPrefix(resolvedRoot + "/") ? String(path.dropFirst(resolvedRoot.count + 1)) : nil
        }
    }

    /// The configured pool of a server; `nil` when `create` is false and a dir pool does not exist yet.
    static func realPool(_ server: ServerConfiguration, site: SiteConfiguration, create: Bool) throws -> (any VolumePool)? {
        guard let volumes = server.volumes else {
            throw PhaseKitError.configuration("\(site.file): server '\(server.name)' has no volumes section")
        }
        switch volumes.backend {
        case .dir:
            let path = volumes.path ?? server.root + "/volumes"
            guard create || FileManager.default.fileExists(atPath: path) else { return nil }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return try DirVolumePool(directory: URL(fileURLWithPath: path))
        case .lvm:
            return try LVMVolumePool(groups: volumes.groups, runner: ProcessCommandRunner())
        }
    }

    /// Ends a step for every database session the world opened.
    static func finishStep(_ world: World, success: Bool) throws {
        // The files a row wrote on other hosts are made durable before it is recorded finished
        // (an agent defers each write's fsync to this one request per row and host).
        if success {
            // Every host syncs at once: each sync is sent first, then each is waited for.
            let remotes = world.made(.files).compactMap { $0 as? RemoteFileArea }
            for remote in remotes { try remote.startSync() }
            for remote in remotes { try remote.finishSync() }
        }
        for session in world.made(.database) { try session.finishStep(success: success) }
        if !success { settleRemoteChanges(world) }
    }

    /// Waits for the answers of the remote changes a failed row sent without waiting, so that
    /// none is left for the next row. A failure among them, or a connection lost meanwhile, is
    /// not thrown again: the row already failed, and each change not made is recorded so from
    /// its connection's ``AgentConnection/takeUnmade()`` (``Dispatcher/settleUnmade()``).
    static func settleRemoteChanges(_ world: World) {
        for connection in world.connections {
            do {
                try connection.settle()
            } catch {
                continue
            }
        }
    }

    /// Commits the planned database transaction of a staged execution (``StagedRun``).
    static func commitStaged(_ world: World) throws {
        for session in world.made(.database) { try session.commitStaged() }
    }

    /// Closes what the world opened (the planned database transaction is rolled back here).
    static func close(_ world: World) {
        for session in world.made(.database) { session.close() }
        world.readAhead?.close()
    }
}
