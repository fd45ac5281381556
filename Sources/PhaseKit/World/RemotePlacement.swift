import Files
import Foundation
import HostSystem
import Services
import Remote
import Volumes

/// Moves servers of a freshly written site onto their own hosts: `site.yaml` gets each one's
/// `host`, `root` and `phasekit`, and its files and volumes are laid out there through a
/// writable agent (used by `phasekit sample-site --host`).
public enum RemotePlacement {
    /// One server to place: `name=ssh://[user@]host[:port]/ROOT`.
    public struct Target: Sendable {
        public var server: String
        public var host: String
        public var root: String

        /// Parses `name=ssh://[user@]host[:port]/ROOT`.
        public init(_ text: String) throws {
            guard let equals = text.firstIndex(of: "="), text[text.index(after: equals)...].hasPrefix("ssh://") else {
                throw PhaseKitError.configuration("--host \(text): expected SERVER=ssh://[user@]host[:port]/ROOT")
            }
            server = String(text[..<equals])
            let url = text[text.index(after: equals)...].dropFirst("ssh://".count)
            guard let slash = url.firstIndex(of: "/"), url.index(after: slash) < url.endIndex else {
                throw PhaseKitError.configuration("--host \(text): the URL's path is the server's root on the host; give one (ssh://HOST/ROOT)")
            }
            host = "ssh://" + url[..<slash]
            root = String(url[slash...])
            _ = try SSHCommand.destination(of: host)
        }
    }

    /// Rewrites the site's servers onto their hosts and lays their files and volumes out there.
    public static func place(siteDirectory: String, targets: [Target], sshConfig: String?, phasekit: String?) throws {
        let file = siteDirectory + "/site.yaml"
        var yaml = try String(contentsOfFile: file, encoding: .utf8)
        let local = try SiteConfiguration.load(directory: siteDirectory)
        for target in targets {
            let server = try local.server(named: target.server)
            let relative = server.root.hasPrefix(siteDirectory + "/") ? String(server.root.dropFirst(siteDirectory.count + 1)) : server.root
            let line = "    root: \(relative)\n"
            guard let range = yaml.range(of: "  - name: \(target.server)\n") .flatMap({ yaml.range(of: line, range: $0.upperBound..<yaml.endIndex) }) else {
                throw PhaseKitError.configuration("\(file): cannot find the root of server '\(target.server)'")
            }
            var placed = "    root: \(target.root)\n    host: \(target.host)\n"
            if let phasekit { placed += "    phasekit: \(phasekit)\n" }
            yaml.replaceSubrange(range, with: placed)
        }
        if let sshConfig { yaml += "ssh:\n  config: \(URL(fileURLWithPath: sshConfig).standardizedFileURL.path)\n" }
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let site = try SiteConfiguration.load(directory: siteDirectory)
        for target in targets {
            let localRoot = try local.server(named: target.server).root
            try layOut(from: localRoot, onto: try site.server(named: target.server), site: site)
            try FileManager.default.removeItem(atPath: localRoot)
        }
    }

    /// Copies a local root's directories, files and dir-pool volumes onto the server's host.
    static func layOut(from localRoot: String, onto server: ServerConfiguration, site: SiteConfiguration) throws {
        let connection = try RemoteWorld.connect(server, reach: RemoteWorld.Reach(site), readOnly: false, extra: ["--create-root"])
        defer { connection.close() }
        let files = RemoteFileArea(connection: connection)
        let runner = RemoteCommandRunner(connection: connection)
        let poolDirectory = localRoot + "/volumes"
        let enumerator = FileManager.default.enumerator(atPath: localRoot)
        while let relative = enumerator?.nextObject() as? String {
            let path = localRoot + "/" + relative
            if path == poolDirectory {
                enumerator?.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try runner.check(["mkdir", "-p", "--", server.root + "/" + relative])
            } else if let data = FileManager.default.contents(atPath: path) {
                try files.write(relative, Array(data))
            }
        }
        if FileManager.default.fileExists(atPath: poolDirectory) {
            let pool = RemoteVolumePool(connection: connection, backendName: "dir")
            for volume in try DirVolumePool(directory: URL(fileURLWithPath: poolDirectory)).list(VolumeFilter()) { try pool.create(volume) }
        }
    }
}

extension RemotePlacement {
    /// Starts every service of every server, on its host or here (as a freshly restored fleet runs them).
    public static func startServices(siteDirectory: String) throws {
        let site = try SiteConfiguration.load(directory: siteDirectory)
        for server in site.servers {
            guard let configuration = server.services, !configuration.definitions.isEmpty else { continue }
            let manager = server.host != nil ? try RemoteWorld.services(configuration, server: server, site: site, planned: false)
                : try ServiceWorld.manager(for: configuration, server: server, site: site)
            for definition in configuration.definitions { try manager.start(definition.name) }
        }
        RemoteHosts.shared.closeAll()
    }
}
