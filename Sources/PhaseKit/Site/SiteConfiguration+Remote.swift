import Remote

extension SiteConfiguration {
    /// The `ssh:` section: `config` (relative to the site) and `connect_timeout_seconds`.
    static func parseSSH(_ node: YAMLNode, site: String) throws -> SSHSettings {
        let fields = try node.mapping(allowed: ["config", "connect_timeout_seconds"])
        var settings = SSHSettings()
        settings.config = try fields["config"].map { resolve(try $0.string(), base: site) }
        settings.connectTimeoutSeconds = try fields["connect_timeout_seconds"]?.integer(in: 1...3600)
        return settings
    }

    /// A server's `host`, checked; a server with a host needs an absolute `root` there.
    static func parseHost(_ fields: [String: YAMLNode]) throws -> String? {
        guard let node = fields["host"] else {
            if let phasekit = fields["phasekit"] { throw phasekit.error("phasekit: is the path of phasekit on the server's host; set host: too") }
            return nil
        }
        let host = try node.string()
        do {
            _ = try SSHCommand.destination(of: host)
        } catch {
            throw node.error(String(describing: error))
        }
        guard let root = fields["root"] else { throw node.error("a server on its own host needs a root: an absolute path on that host") }
        guard try root.string().hasPrefix("/") else { throw root.error("root must be an absolute path on the server's host") }
        return host
    }

    /// Whether any server is on its own host.
    public var hasRemoteServers: Bool { servers.contains { $0.host != nil } }
}
