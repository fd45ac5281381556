import Foundation
import Testing
import TestSupport
@testable import PhaseKit

/// `servers[].host`, `servers[].phasekit` and `ssh:` in site.yaml, and their errors.
@Suite("site.yaml: servers on their own hosts")
struct RemoteSiteSchemaTests {
    func load(_ yaml: String) throws -> SiteConfiguration {
        let directory = TestScratch.path("remote-schema").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try yaml.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        return try SiteConfiguration.load(directory: directory)
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try load(yaml)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test("a server with a host keeps its absolute root, its phasekit and the site's ssh settings")
    func parsed() throws {
        let site = try load("""
            servers:
              - name: local1
              - name: r1
                host: ssh://ops@node-1:2222
                root: /srv/pk/r1
                phasekit: /opt/pk/bin/phasekit
              - name: r2
                host: node-2
                root: /srv/pk/r2
                volumes: { backend: dir, path: pool }
            ssh:
              config: ssh/config
              connect_timeout_seconds: 7
            """)
        #expect(site.servers[0].host == nil)
        #expect(site.servers[1].host == "ssh://ops@node-1:2222" && site.servers[1].root == "/srv/pk/r1" && site.servers[1].phasekit == "/opt/pk/bin/phasekit")
        #expect(site.servers[2].volumes?.path == "/srv/pk/r2/pool")
        #expect(site.ssh.config == site.directory + "/ssh/config" && site.ssh.connectTimeoutSeconds == 7)
        #expect(site.hasRemoteServers)
    }

    @Test("errors name site.yaml and the line", arguments: [
        ("servers:\n  - name: r1\n    host: node-1\n    root: relative/root\n", "site.yaml:4", "absolute"),
        ("servers:\n  - name: r1\n    host: node-1\n", "site.yaml:3", "needs a root"),
        ("servers:\n  - name: r1\n    root: /srv\n    phasekit: /bin/phasekit\n", "site.yaml:4", "set host"),
        ("servers:\n  - name: r1\n    host: ssh://node-1:99999\n    root: /srv\n", "site.yaml:3", "port"),
        ("servers:\n  - name: r1\n    host: -oProxyCommand=x\n    root: /srv\n", "site.yaml:3", "alias"),
        ("ssh:\n  config: c\n  connect_timeout_seconds: 0\n", "site.yaml:3", "connect_timeout_seconds"),
        ("ssh:\n  compression: yes\n", "site.yaml:2", "compression"),
    ])
    func errors(_ yaml: String, _ location: String, _ words: String) {
        let message = error(yaml)
        #expect(message.contains(location) && message.contains(words), "\(message)")
    }
}
