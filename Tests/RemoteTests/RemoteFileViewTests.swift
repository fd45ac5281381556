import Files
import Foundation
import Remote
import Testing
import TestSupport

/// Issue 29: a pass reads a directory's files in one request, sees its own writes, forgets what it
/// knew after any other change, and makes its writes durable with one `files.sync`.
@Suite("what a pass knows of a host's files")
struct RemoteFileViewTests {
    /// A root with `count` files of about 1 KiB in `data/`, and a writable agent over pipes.
    static func agent(files count: Int) throws -> (root: String, connection: AgentConnection) {
        let root = TestScratch.path("remote-view").path
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        for index in 1...count {
            try Data(String(repeating: "file \(index) ", count: 100).utf8).write(to: URL(fileURLWithPath: root + "/data/f\(index).conf"))
        }
        let connection = try AgentConnection(
            server: "s1", host: "pipe", command: [BuiltPhasekit.path, "agent", "--root", root],
            configuration: AgentConfiguration(server: "s1"), phasekit: try RemoteFileAreaTests.version(), timeout: .seconds(60))
        return (root, connection)
    }

    @Test("reading 200 files of a directory costs 3 requests, not 200: one listing per directory, one contents")
    func aDirectoryInOneRequest() throws {
        let (root, connection) = try Self.agent(files: 200)
        defer { connection.close(); try? FileManager.default.removeItem(atPath: root) }
        let area = RemoteFileArea(connection: connection)
        let before = connection.requests
        for index in 1...200 {
            #expect(try area.exists("data/f\(index).conf"))
            #expect(try area.read("data/f\(index).conf") == Array(String(repeating: "file \(index) ", count: 100).utf8))
        }
        #expect(try !area.exists("data/missing.conf"))
        // The listings of the root and of data/, and data/'s contents.
        #expect(connection.requests - before == 3, "\(connection.requests - before) requests")
        // Behind a planned area (the analysis): the same three, through the resolver.
        let planned = RemoteFileArea(connection: connection)
        let start = connection.requests
        let canonical = FilePaths.canonical(root) ?? root
        for index in 1...200 {
            let resolved = try FilePaths.resolve("data/f\(index).conf", root: canonical, lookup: planned.node)
            #expect(try planned.read(resolved: resolved, path: "data/f\(index).conf", maximumBytes: 1 << 20).count == ("file \(index) ".utf8.count * 100))
        }
        #expect(connection.requests - start == 3, "\(connection.requests - start) requests")
    }

    @Test("a pass sees its own writes and removals without asking; another change makes it ask again")
    func ownWritesAndOtherChanges() throws {
        let (root, connection) = try Self.agent(files: 3)
        defer { connection.close(); try? FileManager.default.removeItem(atPath: root) }
        let area = RemoteFileArea(connection: connection)
        _ = try area.read("data/f1.conf")
        try area.write("data/f1.conf", Array("new\n".utf8))
        try area.write("data/new/f9.conf", Array("nine\n".utf8))
        try area.remove("data/f2.conf")
        let before = connection.requests
        #expect(try area.read("data/f1.conf") == Array("new\n".utf8))
        #expect(try area.read("data/new/f9.conf") == Array("nine\n".utf8))
        #expect(try !area.exists("data/f2.conf"))
        #expect(connection.requests == before, "\(connection.requests - before) requests")
        // A command changes a file behind the area's back: it is seen, never the old content.
        _ = try RemoteCommandRunner(connection: connection).run(["/bin/sh", "-c", "echo changed > " + root + "/data/f3.conf"], timeout: .seconds(10))
        #expect(try area.read("data/f3.conf") == Array("changed\n".utf8))
        #expect(try area.read("data/f1.conf") == Array("new\n".utf8))
    }

    @Test("writes are made durable with one files.sync per call, and only after a write")
    func oneSyncPerRow() throws {
        let (root, connection) = try Self.agent(files: 1)
        defer { connection.close(); try? FileManager.default.removeItem(atPath: root) }
        let area = RemoteFileArea(connection: connection)
        var before = connection.requests
        try area.syncWrites()
        #expect(connection.requests == before)
        for index in 1...20 { try area.write("data/w\(index).conf", Array("w\n".utf8)) }
        try area.remove("data/w1.conf")
        before = connection.requests
        try area.syncWrites()
        #expect(connection.requests == before + 1)
        try area.syncWrites()
        #expect(connection.requests == before + 1)
        #expect(FileManager.default.fileExists(atPath: root + "/data/w20.conf") && !FileManager.default.fileExists(atPath: root + "/data/w1.conf"))
    }
}
