import Synchronization
import Files
import Foundation
import Remote
import Services
import Volumes

/// The backends of a server on its own host: each reached through the server's agent
/// connection, planned copies of them for analysis exactly as for local servers.
public enum RemoteWorld {
    /// The time any one remote request may wait when the run states no limit.
    static let defaultTimeout = Duration.seconds(3600)

    /// What reaching a site's servers needs, apart from the site (which is not Sendable).
    struct Reach: Sendable {
        var directory: String
        var ssh: SSHSettings
        var timeout: Duration

        init(_ site: SiteConfiguration, timeout: Duration? = nil) {
            directory = site.directory
            ssh = site.ssh
            self.timeout = timeout ?? site.timeLimitSeconds.map { .milliseconds(Int64($0 * 1000)) } ?? RemoteWorld.defaultTimeout
        }
    }

    /// The server's connection: the run's, or a new one made now (its first use in the run, or
    /// after one broke), noted in `world` so that a step that lost it fails (``lostConnection(in:)``).
    /// A new one is writable when the run prepared an execution (``prepare(_:readOnly:timeout:)``),
    /// so that its analysis passes and its execution share one ssh session per host.
    ///
    /// - Throws: ``RemoteError/connectionLost(_:)`` when the host cannot be reached (`cannot
    ///   connect (...)` the first time, `cannot reconnect (...)` after a connection broke): during a
    ///   run either fails the step as an unmet precondition, never as the host's state.
    static func connection(_ server: ServerConfiguration, site: SiteConfiguration, readOnly: Bool, world: World?) throws -> AgentConnection {
        let run = prepared(site)
        let key = Self.key(server, directory: site.directory)
        let made: AgentConnection
        do {
            made = try connection(server, reach: run.reach, readOnly: readOnly && !run.writable)
        } catch let error as RemoteError {
            let host = server.host ?? ""
            var reason: String
            switch error {
            case .unreachable(let message), .versionMismatch(let message): reason = RemoteError.unprefixed(message, server: server.name, host: host)
            default: throw error
            }
            if reason.hasPrefix(Self.cannotConnect) { reason.removeFirst(Self.cannotConnect.count) }
            let what = RemoteHosts.shared.wasConnected(key: key) ? "cannot reconnect" : "cannot connect"
            throw RemoteError.connectionLost(RemoteError.prefix(server: server.name, host: host) + RemoteError.connectionLostMarker + "\(what) (\(reason))")
        }
        world?.connections.append(made)
        return made
    }

    /// Why a connection `world` used broke, or nil when every one still works: a step that lost
    /// its host fails, even when the script caught the error of the request that found it out.
    /// Whether `error` is (or says) a lost connection.
    static func isConnectionLost(_ error: any Error) -> Bool {
        if case RemoteError.connectionLost = error { return true }
        return String(describing: error).contains(RemoteError.connectionLostMarker)
    }

    static func lostConnection(in world: World) -> String? {
        // A loss found by a read sent ahead is the step's only once a request of its own throws it.
        world.connections.lazy.filter { !$0.lostWhileReadingAhead }.compactMap(\.brokenReason).first
    }

    /// How `AgentConnection` says that a connection never opened.
    static let cannotConnect = "cannot connect: "

    /// The key of `server`'s connection in ``RemoteHosts/shared``.
    static func key(_ server: ServerConfiguration, directory: String) -> String { keyPrefix(directory: directory) + server.name }

    /// What the keys of a site's connections start with.
    static func keyPrefix(directory: String) -> String { directory + "\u{0}" }

    static func connection(_ server: ServerConfiguration, reach: Reach, readOnly: Bool) throws -> AgentConnection {
        try RemoteHosts.shared.connection(key: key(server, directory: reach.directory), readOnly: readOnly) { readOnly in
            try connect(server, reach: reach, readOnly: readOnly)
        }
    }

    /// Starts the server's agent over ssh and says hello.
    static func connect(_ server: ServerConfiguration, reach: Reach, readOnly: Bool, extra: [String] = []) throws -> AgentConnection {
        guard let host = server.host else { throw PhaseKitError.internal("server '\(server.name)' is local") }
        let ssh = SSHCommand(host: host, configFile: reach.ssh.config, connectTimeoutSeconds: reach.ssh.connectTimeoutSeconds,
                             phasekit: server.phasekit ?? "phasekit")
        return try AgentConnection(server: server.name, host: host, command: try ssh.arguments(root: server.root, readOnly: readOnly, extra: extra),
                                   configuration: configuration(of: server), phasekit: PhaseKitVersion.current, timeout: reach.timeout)
    }

    /// What the agent serves for a server.
    static func configuration(of server: ServerConfiguration) -> AgentConfiguration {
        AgentConfiguration(
            server: server.name, servicesBackend: server.services?.backend.rawValue, waitSeconds: server.services?.waitSeconds ?? 10,
            services: server.services?.definitions.map { AgentConfiguration.Service(name: $0.name, command: $0.command, unit: $0.unit, resource: $0.resource) } ?? [],
            volumesBackend: server.volumes?.backend.rawValue, volumesPath: server.volumes?.path, volumeGroups: server.volumes?.groups ?? [])
    }

    /// Connects to the servers with a host among `servers` (every one of the site when nil), all
    /// at once, before a run: a precondition failure naming each server, host and ssh's message
    /// when any cannot be reached.
    ///
    /// - Parameters:
    ///   - readOnly: start the agents `--read-only` (analysis).
    ///   - bestEffort: a server that cannot be reached is no failure now: the run's first use of it
    ///     tries again and fails there (``connection(_:site:readOnly:world:)``).
    public static func connectAll(_ site: SiteConfiguration, servers: Set<String>? = nil, readOnly: Bool, timeout: Duration?,
                                  bestEffort: Bool = false) throws {
        let remote = site.servers.filter { $0.host != nil && servers?.contains($0.name) != false }
        guard !remote.isEmpty else { return }
        let failures = Failures()
        let reach = Reach(site, timeout: timeout)
        AllAtOnce.run(remote.count) { index in
            let server = remote[index]
            do {
                _ = try connection(server, reach: reach, readOnly: readOnly)
            } catch {
                // The remote errors name the server and host already: said once.
                let host = server.host ?? ""
                failures.add(index, RemoteError.prefix(server: server.name, host: host)
                    + RemoteError.unprefixed(String(describing: error), server: server.name, host: host))
            }
        }
        let messages = failures.sorted
        guard messages.isEmpty || bestEffort else {
            throw PhaseKitError.precondition("cannot reach \(messages.count) server(s) over ssh; nothing was changed\n"
                                             + messages.joined(separator: "\n"))
        }
    }

    static func volumes(_ server: ServerConfiguration, site: SiteConfiguration, planned: Bool, world: World? = nil) throws -> VolumeResource {
        guard let volumes = server.volumes else {
            throw PhaseKitError.configuration("\(site.file): server '\(server.name)' has no volumes section")
        }
        let pool = RemoteVolumePool(connection: try connection(server, site: site, readOnly: planned, world: world), backendName: volumes.backend.rawValue)
        // One request: the whole pool's listing, copied into the planned pool.
        return planned ? VolumeResource(pool: try InMemoryVolumePool(copying: pool), isPlanned: true) : VolumeResource(pool: pool, isPlanned: false)
    }

    static func files(_ server: ServerConfiguration, site: SiteConfiguration, planned: Bool, plannedFiles: PlannedFiles,
                      world: World? = nil) throws -> any FileArea {
        // An analysis changes nothing: each area reads ahead on the site's other hosts (one reader per world).
        var readAhead: RemoteReadAhead?
        if planned, let world {
            let prefix = keyPrefix(directory: site.directory)
            readAhead = world.readAhead ?? RemoteReadAhead { RemoteHosts.shared.open(keysStartingWith: prefix) }
            world.readAhead = readAhead
        }
        let area = RemoteFileArea(connection: try connection(server, site: site, readOnly: planned, world: world), readAhead: readAhead)
        return planned ? PlannedFileArea(base: area, planned: plannedFiles) : area
    }

    static func services(_ configuration: ServicesConfiguration, server: ServerConfiguration, site: SiteConfiguration, planned: Bool,
                         world: World? = nil) throws -> any ServiceManager {
        RemoteServiceManager(connection: try connection(server, site: site, readOnly: planned, world: world), backendName: configuration.backend.rawValue,
                             waitLimit: .milliseconds(Int64(configuration.waitSeconds * 1000)))
    }
}

/// Messages collected from concurrent work, in index order.
private final class Failures: Sendable {
    private let table = Mutex<[Int: String]>([:])
    func add(_ index: Int, _ message: String) { table.withLock { $0[index] = message } }
    var sorted: [String] { table.withLock { $0.sorted { $0.key < $1.key }.map(\.value) } }
}
