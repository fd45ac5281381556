import Files
import Foundation
import HostSystem
@testable import Remote
import Services
import Testing
import TestSupport
import Volumes

/// The typed answer: each shape travels and comes back as itself; an answer without its result,
/// with two, or of another shape than its operation's is a protocol error, never read as state.
@Suite("agent answers")
struct AgentAnswerTests {
    static func decode(_ json: String) throws -> AgentAnswer {
        try JSONDecoder().decode(AgentAnswer.self, from: Data(json.utf8))
    }

    @Test("every shape round-trips through its wire form")
    func roundTrip() throws {
        let volume = Volume(name: "v1", group: "vg", role: .data, size: 4096)
        let welcome = AgentWelcome(protocolVersion: AgentProtocol.version, phasekit: "9.9.9", root: "/r", readOnly: true, protected: [], hostname: "h")
        let responses: [AgentResponse] = [
            .failure(.volume(VolumeError(.notFound, volume: "v1", "no such volume"))), .welcome(welcome), .bytes("aGk="),
            .tools(["lvs": "/sbin/lvs"]), .services([ServiceInfo(name: "db", state: .running)]), .state(.stopped),
            .volumes([volume]), .volume(volume), .volume(nil), .flag(false), .names(["a"]),
            .nodes([AgentNode(name: ".", node: .directory), AgentNode(name: "l", node: .symlink("t"))]),
            .output(CommandOutput(status: 3, standardOutput: "o", standardError: "e")), .done,
        ]
        #expect(Set(responses.map(\.shape)) == Set(AgentResponse.Shape.allCases))
        for response in responses {
            let data = try JSONEncoder().encode(AgentAnswer(id: 9, response))
            #expect(try JSONDecoder().decode(AgentAnswer.self, from: data) == AgentAnswer(id: 9, response), "\(response)")
        }
        #expect(try Self.decode(#"{"id": 2, "volume": null}"#).response == .volume(nil))
    }

    @Test("an answer with no result, two results or a result of the wrong type cannot be read")
    func malformed() {
        for json in [#"{"id": 2}"#, #"{"id": 2, "flag": true, "names": []}"#, #"{"id": 2, "done": false}"#,
                     #"{"id": 2, "flag": "yes"}"#, #"{"id": 2, "output": {"status": 0}}"#, #"{"flag": true}"#] {
            #expect(throws: (any Error).self, "\(json)") { _ = try Self.decode(json) }
        }
    }

    @Test("every operation names the shape of its answer, and a write's is done")
    func shapes() {
        for name in AgentOperation.Name.allCases {
            #expect(name.answer != .failure)
            if name.answer == .done { #expect(!name.isRead, "\(name)") }
        }
        #expect(AgentResponse.done.answers(.filesWrite) && !AgentResponse.done.answers(.filesExists))
        #expect(AgentResponse.failure(.other("x")).answers(.filesExists))
    }

    /// A frame: its length, big-endian, then the JSON.
    static func frame(_ json: String) -> [UInt8] {
        let count = UInt32(json.utf8.count)
        return [UInt8(count >> 24), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)] + Array(json.utf8)
    }

    /// A connection to a fake agent that welcomes, then gives `answers` whatever it is asked.
    static func connection(answering answers: [String], named name: String) throws -> (AgentConnection, String) {
        let base = TestScratch.path(name).path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let welcome = #"{"id": 1, "welcome": {"protocolVersion": \#(AgentProtocol.version), "phasekit": "9.9.9", "root": "/nonexistent", "readOnly": false, "protected": [], "hostname": "h"}}"#
        try Data(([welcome] + answers).flatMap(frame)).write(to: URL(fileURLWithPath: base + "/answers"))
        let connection = try AgentConnection(server: "s1", host: "fake", command: ["sh", "-c", "cat '\(base)/answers'; exec cat >/dev/null"],
                                             configuration: AgentConfiguration(server: "s1"), phasekit: "9.9.9", timeout: .seconds(20))
        return (connection, base)
    }

    @Test("a read answered with another shape, or a write answered with nothing, is a lost connection, never state")
    func wrongShapeAtTheController() throws {
        let (reader, readerBase) = try Self.connection(answering: [#"{"id": 2, "names": []}"#], named: "answer-shape-read")
        defer { reader.close(); try? FileManager.default.removeItem(atPath: readerBase) }
        let area = RemoteFileArea(connection: reader)
        let read = try #require(throws: RemoteError.self) { _ = try area.exists("etc/app.conf") }
        // The area first asks for the directory's listing (issue 29: exists is answered from it).
        #expect(read.description.contains("files.nodes was answered with 'names', not 'nodes'"), "\(read)")
        #expect(reader.brokenReason?.contains(RemoteError.connectionLostMarker) == true)

        let (writer, writerBase) = try Self.connection(answering: [#"{"id": 2}"#], named: "answer-shape-write")
        defer { writer.close(); try? FileManager.default.removeItem(atPath: writerBase) }
        let pool = RemoteVolumePool(connection: writer, backendName: "dir")
        let write = try #require(throws: RemoteError.self) { try pool.delete("v1") }
        guard case .connectionLost(let message) = write else { Issue.record("not a lost connection: \(write)"); return }
        #expect(message.contains("an unreadable answer to volumes.delete"), "\(message)")
    }
}
