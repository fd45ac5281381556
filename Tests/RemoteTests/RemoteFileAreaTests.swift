import Files
import Foundation
import Remote
import Testing
import TestSupport

/// A server's files through its agent (the built `phasekit agent` over pipes): a lost connection
/// is an error, never a missing file, an empty directory or "no such file".
@Suite("files through a lost agent")
struct RemoteFileAreaTests {
    /// The built binary's version, which its agent says hello with.
    static func version() throws -> String {
        let process = Process()
        process.executableURL = BuiltPhasekit.url
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("an agent lost on its first listing: node, exists, list and resolution throw, now and on every later call")
    func lostAgentIsNeverAMissingFile() throws {
        let root = TestScratch.path("lost-agent").path
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/etc/app.conf"))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let connection = try AgentConnection(
            server: "s1", host: "pipe", command: [BuiltPhasekit.path, "agent", "--root", root, "--read-only", "--drop-at", "files.nodes=1"],
            configuration: AgentConfiguration(server: "s1"), phasekit: try Self.version(), timeout: .seconds(60))
        defer { connection.close() }
        let area = RemoteFileArea(connection: connection)
        let canonical = FilePaths.canonical(root) ?? root
        #expect(throws: RemoteError.self) { _ = try area.node(canonical + "/etc") }
        #expect(throws: RemoteError.self) { _ = try area.node(canonical + "/etc") }
        #expect(throws: RemoteError.self) { _ = try area.exists("etc/app.conf") }
        #expect(throws: RemoteError.self) { _ = try area.list("etc") }
        #expect(throws: RemoteError.self) { _ = try FilePaths.resolve("etc/app.conf", root: canonical, lookup: area.node) }
        #expect(connection.brokenReason?.contains(RemoteError.connectionLostMarker) == true)
    }
}
