import Files
import Foundation
@testable import Remote
import Testing
import TestSupport
import Volumes

/// The agent driven directly: read-only refusal, confinement, version skew, the framing over pipes.
@Suite("phasekit agent")
struct AgentServerTests {
    /// A root with a file, a link out of it, a pool, and an agent said hello to.
    struct Fixture {
        let root: String
        let outside: String
        let agent: AgentServer

        init(readOnly: Bool) throws {
            let base = TestScratch.path("agent").path
            root = base + "/root"
            outside = base + "/outside"
            try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try Data("secret".utf8).write(to: URL(fileURLWithPath: outside + "/secret"))
            try Data("hello".utf8).write(to: URL(fileURLWithPath: root + "/etc/app.conf"))
            try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: outside)
            try FileManager.default.createSymbolicLink(atPath: root + "/inner", withDestinationPath: "etc")
            agent = try AgentServer(root: root, readOnly: readOnly, phasekit: "9.9.9")
            var hello = AgentRequest(id: 1, op: "hello")
            hello.protocolVersion = AgentProtocol.version
            hello.phasekit = "9.9.9"
            hello.configuration = AgentConfiguration(server: "s1", volumesBackend: "dir", volumesPath: root + "/volumes")
            let answer = agent.handle(hello)
            #expect(answer.failure == nil)
            #expect(answer.welcome?.protected == ["volumes"])
        }

        func request(_ op: String, path: String? = nil, _ fill: (inout AgentRequest) -> Void = { _ in }) -> AgentResponse {
            var request = AgentRequest(id: 2, op: op)
            request.path = path
            fill(&request)
            return agent.handle(request)
        }

        /// Every file below the root (and outside it), with its content.
        func fingerprint() -> [String: String] {
            var seen: [String: String] = [:]
            for base in [root, outside] {
                let enumerator = FileManager.default.enumerator(atPath: base)
                while let relative = enumerator?.nextObject() as? String {
                    seen[base + "/" + relative] = (try? String(contentsOfFile: base + "/" + relative, encoding: .utf8)) ?? "-"
                }
            }
            return seen
        }
    }

    @Test("a read-only agent refuses every write, an unknown operation included, and changes nothing")
    func readOnlyRefusesWrites() throws {
        let fixture = try Fixture(readOnly: true)
        let before = fixture.fingerprint()
        let writes: [AgentResponse] = [
            fixture.request("files.write", path: "etc/app.conf") { $0.bytes = Data("changed".utf8).base64EncodedString() },
            fixture.request("files.remove", path: "etc/app.conf"),
            fixture.request("volumes.create") { $0.volume = Volume(name: "v1", group: "g", role: .data, size: 1024) },
            fixture.request("volumes.delete") { $0.name = "v1" },
            fixture.request("services.start") { $0.name = "db" },
            fixture.request("command.run") { $0.arguments = ["touch", fixture.root + "/made"] },
            fixture.request("files.chmod", path: "etc/app.conf"),
        ]
        for answer in writes { #expect(answer.failure?.kind == "refused", "\(answer.failure?.message ?? "accepted")") }
        #expect(fixture.request("files.read", path: "etc/app.conf").bytes == Data("hello".utf8).base64EncodedString())
        #expect(fixture.request("volumes.list").volumes == [])
        #expect(fixture.fingerprint() == before)
    }

    @Test("paths are confined to the root: '..', absolute paths and links out are refused, links inside followed")
    func confinement() throws {
        let fixture = try Fixture(readOnly: false)
        for path in ["../outside/secret", "/etc/passwd", fixture.outside + "/secret", "out/secret", "etc/../../outside/secret"] {
            let read = fixture.request("files.read", path: path)
            #expect(read.failure?.kind == "files", "read \(path): \(read.failure?.message ?? "allowed")")
            let write = fixture.request("files.write", path: path) { $0.bytes = "" }
            #expect(write.failure?.kind == "files", "write \(path): \(write.failure?.message ?? "allowed")")
        }
        #expect(fixture.request("files.read", path: "inner/app.conf").bytes == Data("hello".utf8).base64EncodedString())
        #expect(fixture.request("files.nodes", path: fixture.outside).failure?.kind == "files")
        #expect(fixture.request("files.nodes", path: fixture.root + "/..").failure?.kind == "files")
        // The dir pool is the agent's own: changed through volumes.* only.
        #expect(fixture.request("files.write", path: "volumes/x") { $0.bytes = "" }.failure?.kind == "files")
        #expect(try String(contentsOfFile: fixture.outside + "/secret", encoding: .utf8) == "secret")
        let written = fixture.request("files.write", path: "etc/new.conf") { $0.bytes = Data("x".utf8).base64EncodedString() }
        #expect(written.failure == nil)
        #expect(FileManager.default.fileExists(atPath: fixture.root + "/etc/new.conf"))
    }

    @Test("a controller of another version is refused, naming both versions")
    func versionSkew() throws {
        let root = TestScratch.path("agent-version").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let agent = try AgentServer(root: root, readOnly: true, phasekit: "9.9.9")
        var hello = AgentRequest(id: 1, op: "hello")
        hello.protocolVersion = AgentProtocol.version
        hello.phasekit = "1.0.0"
        hello.configuration = AgentConfiguration(server: "s1")
        let answer = agent.handle(hello)
        #expect(answer.failure?.kind == "version")
        #expect(answer.failure?.message.contains("1.0.0") == true && answer.failure?.message.contains("9.9.9") == true)
        // Nothing is served before a hello that was accepted.
        #expect(agent.handle(AgentRequest(id: 2, op: "files.list")).failure?.kind == "protocol")
    }

    @Test("requests and answers are length-prefixed JSON frames over pipes; a pool lists in one request")
    func overPipes() throws {
        let fixture = try Fixture(readOnly: false)
        var toAgent: [Int32] = [-1, -1]
        var fromAgent: [Int32] = [-1, -1]
        #expect(pipe(&toAgent) == 0 && pipe(&fromAgent) == 0)
        let (root, input, output) = (fixture.root, toAgent[0], fromAgent[1])
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? AgentServer(root: root, readOnly: false, phasekit: "9.9.9", input: input, output: output).serve()
            done.signal()
        }
        func exchange(_ request: AgentRequest) throws -> AgentResponse {
            try AgentFrame.write(Array(try JSONEncoder().encode(request)), to: toAgent[1])
            let frame = try #require(try AgentFrame.read(from: fromAgent[0], deadline: .now + .seconds(20)))
            return try JSONDecoder().decode(AgentResponse.self, from: Data(frame))
        }
        var hello = AgentRequest(id: 7, op: "hello")
        hello.protocolVersion = AgentProtocol.version
        hello.phasekit = "9.9.9"
        hello.configuration = AgentConfiguration(server: "s1", volumesBackend: "dir", volumesPath: fixture.root + "/volumes")
        let welcome = try exchange(hello)
        #expect(welcome.id == 7 && welcome.welcome?.root == FilePaths.canonical(fixture.root))
        for index in 0..<20 {
            var create = AgentRequest(id: 10 + index, op: "volumes.create")
            create.volume = Volume(name: "v\(index)", group: "vg", role: .data, size: 4096)
            #expect(try exchange(create).failure == nil)
        }
        #expect(try exchange(AgentRequest(id: 40, op: "volumes.list")).volumes?.count == 20)
        close(toAgent[1])
        done.wait()
        for descriptor in [toAgent[0], fromAgent[0], fromAgent[1]] { close(descriptor) }
    }
}
