import Foundation
import LuaRuntime

extension SiteConfiguration {
    /// Reads `site.yaml` from a site directory.
    ///
    /// - Parameter directory: the site directory.
    /// - Throws: ``PhaseKitError/configuration(_:)`` naming the file and line of the first problem.
    public static func load(directory: String) throws -> SiteConfiguration {
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw PhaseKitError.configuration("\(absolute): no such site directory")
        }
        guard isDirectory.boolValue else {
            // `--site path/to/site.yaml`: the site is the folder that holds it.
            let folder = URL(fileURLWithPath: absolute).deletingLastPathComponent().path
            throw PhaseKitError.configuration("\(absolute) is a file, not a site directory: the site is the folder that holds "
                                              + "site.yaml (--site \(folder))")
        }
        let file = absolute + "/site.yaml"
        guard FileManager.default.fileExists(atPath: file) else {
            throw PhaseKitError.configuration("\(file): missing (a site is a directory with a site.yaml; see docs/site.md)")
        }
        return try parse(YAMLNode.load(file: file), directory: absolute)
    }

    static func parse(_ root: YAMLNode, directory: String) throws -> SiteConfiguration {
        let top = try root.mapping(allowed: ["name", "database", "services", "volumes", "servers", "limits", "parameters", "ssh", "reports"])
        let name = try top["name"]?.string() ?? URL(fileURLWithPath: directory).lastPathComponent
        let database = try top["database"]?.string()
        if let node = top["database"], let url = database, url.hasPrefix("sqlite:"), url != "sqlite::memory:", url.count > "sqlite:".count {
            let path = resolve(String(url.dropFirst("sqlite:".count)), base: directory)
            // A typo must not become an empty database: only `phasekit sample-site` creates one.
            guard FileManager.default.fileExists(atPath: path) else {
                throw node.error("\(url): no such database file \(path) (check the path; only `phasekit sample-site` creates a database)")
            }
        }
        let services = try top["services"].map { try parseServices($0) }
        let volumes = try top["volumes"].map { try parseVolumes($0, base: directory) }

        var servers: [ServerConfiguration] = []
        if let list = top["servers"] {
            for entry in try list.sequence() {
                servers.append(try parseServer(entry, site: directory, defaults: (servers.isEmpty ? services : nil, servers.isEmpty ? volumes : nil)))
            }
            guard !servers.isEmpty else { throw list.error("list at least one server") }
            var seen: Set<String> = []
            for (server, entry) in zip(servers, try list.sequence()) where !seen.insert(server.name).inserted {
                throw entry.error("server '\(server.name)' is listed twice")
            }
        } else {
            servers = [ServerConfiguration(name: "local", role: ServerConfiguration.defaultRole, root: directory, services: services, volumes: volumes)]
        }

        var timeLimit: Double?
        var memoryLimit: Int?
        if let limits = top["limits"] {
            let fields = try limits.mapping(allowed: ["time_seconds", "memory_mb"])
            // Bounded so every later conversion (seconds to Duration, MB to bytes) is exact.
            timeLimit = try fields["time_seconds"]?.number(in: 0.001...604_800)
            memoryLimit = try fields["memory_mb"]?.integer(in: 8...1_048_576)
        }

        var parameters: [String: LuaTable] = [:]
        if let section = top["parameters"] {
            guard case .table(let table) = try section.luaValue(), table.array.isEmpty else {
                throw section.error("expected a mapping of procedure names to mappings")
            }
            for (key, value) in table.fields {
                guard let procedure = key.stringValue, case .table(let procedureParameters) = value else {
                    throw section.error("parameters.\(key) must be a mapping")
                }
                parameters[procedure] = procedureParameters
            }
        }

        var site = SiteConfiguration(
            directory: directory, file: root.file, name: name, database: database, servers: servers,
            timeLimitSeconds: timeLimit, memoryLimitMegabytes: memoryLimit, parameters: parameters
        )
        if let section = top["ssh"] { site.ssh = try parseSSH(section, site: directory) }
        if let section = top["reports"] {
            let fields = try section.mapping(allowed: ["keep", "max_diff_kb"])
            site.reports.keep = try fields["keep"]?.integer(in: 1...1_000_000) ?? site.reports.keep
            site.reports.maximumDiffBytes = try fields["max_diff_kb"].map { try $0.integer(in: 0...1_048_576) * 1024 } ?? site.reports.maximumDiffBytes
        }
        return site
    }

    private static func parseServer(
        _ entry: YAMLNode, site: String, defaults: (ServicesConfiguration?, VolumesConfiguration?)
    ) throws -> ServerConfiguration {
        let fields = try entry.mapping(allowed: ["name", "role", "root", "services", "volumes", "host", "phasekit"])
        guard let nameNode = fields["name"] else { throw entry.error("a server needs a name") }
        let name = try nameNode.string()
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]*$", options: .regularExpression) != nil else {
            throw nameNode.error("server names use letters, digits, '_', '.' and '-'")
        }
        let role = try fields["role"]?.string() ?? ServerConfiguration.defaultRole
        guard MetadataLoader.isName(role) else {
            throw (fields["role"] ?? entry).error("a role is a lowercase letter, then lowercase letters, digits, '_' and '-'")
        }
        let host = try parseHost(fields)
        let root = try fields["root"].map { resolve(try $0.string(), base: site) } ?? site
        let services = try fields["services"].map { try parseServices($0) } ?? defaults.0
        var volumes = try fields["volumes"].map { try parseVolumes($0, base: root) } ?? defaults.1
        if volumes == nil, fields["root"] != nil {
            volumes = VolumesConfiguration(backend: .dir, path: root + "/volumes", groups: [])
        }
        var server = ServerConfiguration(name: name, role: role, root: root, services: services, volumes: volumes)
        server.host = host
        server.phasekit = try fields["phasekit"]?.string()
        return server
    }

    private static func parseServices(_ node: YAMLNode) throws -> ServicesConfiguration {
        let fields = try node.mapping(allowed: ["backend", "wait_seconds", "definitions"])
        let backendText = try fields["backend"]?.string() ?? "process"
        guard let backend = ServicesConfiguration.Backend(rawValue: backendText) else {
            throw (fields["backend"] ?? node).error("unknown services backend '\(backendText)' (expected process, systemd or pacemaker)")
        }
        var definitions: [ServiceDefinition] = []
        for entry in try fields["definitions"]?.sequence() ?? [] {
            let item = try entry.mapping(allowed: ["name", "command", "unit", "resource", "required_for"])
            guard let name = try item["name"]?.string(), !name.isEmpty else { throw entry.error("a service needs a name") }
            let command = try item["command"]?.strings() ?? []
            if backend == .process, command.isEmpty {
                throw entry.error("service '\(name)' needs a command for the process backend")
            }
            definitions.append(ServiceDefinition(
                name: name, command: command, unit: try item["unit"]?.string(),
                resource: try item["resource"]?.string(), requiredFor: try item["required_for"]?.strings() ?? []
            ))
        }
        let wait = try fields["wait_seconds"]?.number(in: 0.01...86_400) ?? 10
        return ServicesConfiguration(backend: backend, waitSeconds: wait, definitions: definitions)
    }

    private static func parseVolumes(_ node: YAMLNode, base: String) throws -> VolumesConfiguration {
        let fields = try node.mapping(allowed: ["backend", "path", "groups"])
        let backendText = try fields["backend"]?.string() ?? "dir"
        guard let backend = VolumesConfiguration.Backend(rawValue: backendText) else {
            throw (fields["backend"] ?? node).error("unknown volumes backend '\(backendText)' (expected dir or lvm)")
        }
        let path = try fields["path"].map { resolve(try $0.string(), base: base) }
        let groups = try fields["groups"]?.strings() ?? []
        if backend == .dir, path == nil { throw node.error("the dir backend needs a path") }
        if backend == .lvm, groups.isEmpty { throw node.error("the lvm backend needs at least one volume group") }
        return VolumesConfiguration(backend: backend, path: path, groups: groups)
    }

    static func resolve(_ path: String, base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}
