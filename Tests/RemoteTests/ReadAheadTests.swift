import Files
import Foundation
import Remote
import Testing
import TestSupport

/// Reads sent ahead on the other hosts during an analysis (``RemoteReadAhead``), against two built
/// `phasekit agent`s over pipes: an answer read ahead saves the wait, and is never wrong (after a
/// change, a failure, a lost connection or the end of the pass).
@Suite("reads sent ahead on the other hosts")
struct ReadAheadTests {
    /// Two roots, each with `data/a.txt` and `data/b.txt` naming their host.
    static func roots(_ name: String) throws -> [String] {
        try (1...2).map { host in
            let root = try PipelinedChangesTests.scratch("\(name)-\(host)")
            try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
            for file in ["a", "b"] { try Data("host\(host) \(file)".utf8).write(to: URL(fileURLWithPath: root + "/data/\(file).txt")) }
            return root
        }
    }

    static func text(_ area: RemoteFileArea, _ path: String) throws -> String {
        String(decoding: try area.read(path, maximumBytes: 1 << 20), as: UTF8.self)
    }

    /// Two agents over pipes on ``roots(_:)`` (each started with its own extra arguments), a reader
    /// ahead for them and an area of each reading through it.
    struct Pair {
        let roots: [String]
        let connections: [AgentConnection]
        let ahead: RemoteReadAhead
        let areas: [RemoteFileArea]

        init(_ name: String, first: [String] = ["--read-only"], second: [String] = ["--read-only"]) throws {
            roots = try ReadAheadTests.roots(name)
            connections = [try PipelinedChangesTests.agent(roots[0], first), try PipelinedChangesTests.agent(roots[1], second)]
            let connections = connections
            ahead = RemoteReadAhead { connections }
            areas = connections.map { [ahead] in RemoteFileArea(connection: $0, readAhead: ahead) }
        }

        func close() {
            ahead.close()
            for connection in connections { connection.close() }
            for root in roots { try? FileManager.default.removeItem(atPath: root) }
        }
    }

    @Test("a directory read on one host is read ahead on the other: the other's first read there waits for nothing new and reads what is there")
    func readAheadIsUsed() throws {
        let pair = try Pair("read-ahead-used")
        defer { pair.close() }
        let (connections, areas) = (pair.connections, pair.areas)
        #expect(try Self.text(areas[0], "data/a.txt") == "host1 a")
        let sent = connections[1].requests
        #expect(sent > 1, "the read ahead was sent to the second host")
        #expect(try Self.text(areas[1], "data/b.txt") == "host2 b")
        #expect(try areas[1].exists("data/a.txt"))
        #expect(!(try areas[1].exists("data/c.txt")))
        #expect(connections[1].requests == sent, "every answer the second host's area needed had been read ahead")
        // What an area with no reads ahead sees, on the same connection.
        let plain = RemoteFileArea(connection: connections[1])
        #expect(try Self.text(plain, "data/b.txt") == "host2 b")
    }

    @Test("a change sent on the host after its read ahead: the answer is not used, the file is read as it is now")
    func changeAfterTheReadAhead() throws {
        let pair = try Pair("read-ahead-change", first: [], second: [])
        defer { pair.close() }
        let (connections, areas) = (pair.connections, pair.areas)
        #expect(try Self.text(areas[0], "data/a.txt") == "host1 a")
        _ = try connections[1].request(PipelinedChangesTests.write("data/b.txt", "changed"))
        #expect(try Self.text(areas[1], "data/b.txt") == "changed")
    }

    @Test("a read ahead that failed is not used: the area asks again and gets the host's answer of now")
    func failedReadAheadIsAskedAgain() throws {
        let pair = try Pair("read-ahead-failed", second: ["--read-only", "--fail-at", "files.contents=1"])
        defer { pair.close() }
        let (roots, areas) = (pair.roots, pair.areas)
        #expect(try Self.text(areas[0], "data/a.txt") == "host1 a")
        // Asked of the area itself (a read falls back to asking the agent for the path as it is).
        #expect(try areas[1].node(roots[1] + "/data/a.txt") == .file)
        #expect(try Self.text(areas[1], "data/a.txt") == "host2 a")
    }

    @Test("the host lost while its read ahead is on its way: its area's next call throws the lost connection, never a missing file")
    func lostWhileReadingAhead() throws {
        let pair = try Pair("read-ahead-lost", second: ["--drop-at", "files.contents=1"])
        defer { pair.close() }
        let (connections, areas) = (pair.connections, pair.areas)
        #expect(try Self.text(areas[0], "data/a.txt") == "host1 a")
        #expect(throws: RemoteError.self) { _ = try areas[1].exists("data/a.txt") }
        #expect(throws: RemoteError.self) { _ = try Self.text(areas[1], "data/a.txt") }
        #expect(connections[1].brokenReason?.contains(RemoteError.connectionLostMarker) == true)
    }

    @Test("closed before they are used: the answers read ahead are thrown away as they come and the connection goes on")
    func closedBeforeUse() throws {
        let roots = try Self.roots("read-ahead-closed")
        defer { for root in roots { try? FileManager.default.removeItem(atPath: root) } }
        let connections = try roots.map { try PipelinedChangesTests.agent($0, ["--read-only"]) }
        defer { for connection in connections { connection.close() } }
        let ahead = RemoteReadAhead { connections }
        #expect(try Self.text(RemoteFileArea(connection: connections[0], readAhead: ahead), "data/a.txt") == "host1 a")
        ahead.close()
        // A new pass reads with a reader of its own; the old one's answers are no answer to its requests.
        let next = RemoteReadAhead { connections }
        let area = RemoteFileArea(connection: connections[1], readAhead: next)
        let sent = connections[1].requests
        #expect(try Self.text(area, "data/b.txt") == "host2 b")
        #expect(connections[1].requests > sent, "nothing read ahead by the closed reader was used")
        #expect(!connections[1].isBroken)
        next.close()
    }

    @Test("a loss found while sending a read ahead is the server's own: handed out once as it is (its first request throws it), then reconnected")
    func lossFoundReadingAheadIsNotHealedInSilence() throws {
        let roots = try Self.roots("read-ahead-lost-sending")
        defer { for root in roots { try? FileManager.default.removeItem(atPath: root) } }
        let hosts = RemoteHosts()
        defer { hosts.closeAll() }
        let made = try hosts.connection(key: "site\u{0}s2", readOnly: true) { _ in
            try PipelinedChangesTests.agent(roots[1], ["--drop-at", "files.nodes=1"])
        }
        #expect(made.postRead(.filesNodes(path: roots[1])) != nil)
        // The agent exits on that read: a read sent after it finds the connection closed.
        let deadline = ContinuousClock.now + .seconds(30)
        while made.postRead(.filesNodes(path: roots[1] + "/data")) != nil, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(made.isBroken && made.lostWhileReadingAhead)
        #expect(hosts.open(keysStartingWith: "site\u{0}").isEmpty, "no read is sent ahead on it any more")
        let handed = try hosts.connection(key: "site\u{0}s2", readOnly: true) { _ in throw RemoteError.unreachable("reconnected") }
        #expect(handed === made)
        #expect(throws: RemoteError.self) { _ = try RemoteFileArea(connection: handed).exists("data/a.txt") }
        #expect(!made.lostWhileReadingAhead)
        #expect(throws: RemoteError.self) {
            _ = try hosts.connection(key: "site\u{0}s2", readOnly: true) { _ in throw RemoteError.unreachable("reconnected") }
        }
    }
}
