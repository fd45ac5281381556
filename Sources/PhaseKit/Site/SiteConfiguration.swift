public import LuaRuntime

/// A site: a directory with `site.yaml`, describing the servers and resources a procedure acts on.
///
/// phasekit writes its own files (journal, reports, locks, service pidfiles) only under `state/`.
/// See docs/site.md for the schema.
public struct SiteConfiguration: Sendable {
    /// The site directory (absolute).
    public var directory: String
    /// The path of `site.yaml`.
    public var file: String
    public var name: String
    /// The database URL (`sqlite:PATH` relative to the site, or `postgres://...`).
    public var database: String?
    /// Servers; a site without a `servers` list has one server named `local`.
    public var servers: [ServerConfiguration]
    /// Run limits from the site; command-line flags override them.
    public var timeLimitSeconds: Double?
    public var memoryLimitMegabytes: Int?
    /// Per-procedure parameters, visible to scripts as `phase.params`.
    public var parameters: [String: LuaTable]
    /// How servers with a `host` are reached (docs/remote.md).
    public var ssh = SSHSettings()
    /// How many full reports `state/reports` keeps, and how much of their diffs (`reports:`).
    public var reports = ReportSettings()

    /// `<site>/state`, the only place phasekit writes its own files.
    public var stateDirectory: String { directory + "/state" }
    /// `<site>/scripts`, searched before the bundled scripts.
    public var scriptsDirectory: String { directory + "/scripts" }

    /// The server bindings act on outside per-server steps: the first one.
    public var defaultServer: ServerConfiguration { servers[0] }

    /// `phase.params` for a procedure: the site's `parameters.<procedure>` mapping, or empty.
    public static func parameters(of site: SiteConfiguration?, for procedure: String) -> LuaTable {
        site?.parameters[procedure] ?? LuaTable()
    }

    /// The server named `name`.
    public func server(named name: String) throws -> ServerConfiguration {
        guard let server = servers.first(where: { $0.name == name }) else {
            let known = servers.map(\.name).joined(separator: ", ")
            throw PhaseKitError.binding("unknown server '\(name)' (this site has: \(known))")
        }
        return server
    }
}

/// One server of a site (in the embedded default, a directory on this machine).
public struct ServerConfiguration: Sendable {
    /// The role of a server whose site.yaml entry gives none (and of the implicit `local` server).
    public static let defaultRole = "production"

    public var name: String
    /// The server's part, a name the site chooses (`role:` in site.yaml): procedures run their
    /// per-server steps on the servers of the roles they list (``ProcedureDefinition/roles``).
    public var role: String
    /// The server's files root (absolute); `files.*` bindings are confined to it.
    public var root: String
    public var services: ServicesConfiguration?
    public var volumes: VolumesConfiguration?
    /// The host the server is on (`ssh://[user@]host[:port]` or an ssh_config alias); nil: this
    /// machine. With a host, `root` and a dir pool's path are paths there.
    public var host: String? = nil
    /// The path of phasekit on the server's host (default `phasekit` on its `PATH`).
    public var phasekit: String? = nil
}

/// The site's `reports:` section: the runs whose full reports `state/reports/` keeps, and the
/// diffs one report keeps (``ReportArchive``).
public struct ReportSettings: Sendable, Equatable {
    /// The full reports kept (`keep`); every older run keeps its summary.
    public var keep: Int
    /// The bytes of diffs one report keeps (`max_diff_kb`).
    public var maximumDiffBytes: Int

    public init(keep: Int = 50, maximumDiffBytes: Int = 1 << 20) {
        self.keep = keep
        self.maximumDiffBytes = maximumDiffBytes
    }
}

/// The site's `ssh:` section.
public struct SSHSettings: Sendable {
    /// The ssh_config file passed as `ssh -F` (absolute; given relative to the site).
    public var config: String?
    /// How long connecting to a host may take.
    public var connectTimeoutSeconds: Int?

    public init(config: String? = nil, connectTimeoutSeconds: Int? = nil) {
        self.config = config
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }
}

/// How a server's services are managed.
public struct ServicesConfiguration: Sendable {
    public enum Backend: String, Sendable, CaseIterable {
        case process
        case systemd
        case pacemaker
    }

    public var backend: Backend
    /// How long a start or stop may take.
    public var waitSeconds: Double
    public var definitions: [ServiceDefinition]
}

/// One service as the site defines it.
public struct ServiceDefinition: Sendable {
    public var name: String
    /// `process` backend: the command line.
    public var command: [String]
    /// `systemd` backend: the unit (default `NAME.service`).
    public var unit: String?
    /// `pacemaker` backend: the cluster resource (default NAME).
    public var resource: String?
    /// Procedures that need this service running; the others want it stopped.
    public var requiredFor: [String]
}

/// How a server's volumes are kept.
public struct VolumesConfiguration: Sendable {
    public enum Backend: String, Sendable, CaseIterable {
        case dir
        case lvm
    }

    public var backend: Backend
    /// `dir` backend: the pool directory (absolute).
    public var path: String?
    /// `lvm` backend: the volume groups managed.
    public var groups: [String]
}
