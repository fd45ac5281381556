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
            let hello = AgentHello(phasekit: "9.9.9", configuration: AgentConfiguration(server: "s1", volumesBackend: "dir", volumesPath: root + "/volumes"))
            let answer = agent.handle(AgentRequest(id: 1, .hello(hello)))
            guard case .welcome(let welcome) = answer.response else { Issue.record("no welcome: \(answer.response)"); return }
            #expect(welcome.protected == ["volumes"])
        }

        func request(_ operation: AgentOperation) -> AgentAnswer {
            agent.handle(AgentRequest(id: 2, operation))
        }

        /// A request as the JSON of its frame, answered as the agent answers frames.
        func request(json: String) -> AgentAnswer {
            agent.handle(frame: Array(json.utf8)).0
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
        let writes: [AgentAnswer] = [
            fixture.request(.filesWrite(path: "etc/app.conf", bytes: Data("changed".utf8).base64EncodedString())),
            fixture.request(.filesRemove(path: "etc/app.conf")),
            fixture.request(.volumesCreate(Volume(name: "v1", group: "g", role: .data, size: 1024))),
            fixture.request(.volumesDelete(name: "v1")),
            fixture.request(.servicesStart(name: "db")),
            fixture.request(.commandRun(arguments: ["touch", fixture.root + "/made"], timeoutSeconds: 10)),
            fixture.request(json: #"{"id": 3, "op": "files.chmod", "path": "etc/app.conf"}"#),
            // A write with its fields wrong is refused all the same, under its own id.
            fixture.request(json: #"{"id": 4, "op": "files.remove"}"#),
        ]
        for answer in writes { #expect(answer.response.failure?.kind == .refused, "\(answer.response)") }
        #expect(writes.suffix(2).map(\.id) == [3, 4])
        #expect(fixture.request(.filesRead(path: "etc/app.conf", maximumBytes: nil)).response == .bytes(Data("hello".utf8).base64EncodedString()))
        #expect(fixture.request(.volumesList(VolumeFilter())).response == .volumes([]))
        #expect(fixture.request(.volumesGet(name: "v1")).response == .volume(nil))
        // A read with a field missing is a protocol failure naming the field.
        let missing = fixture.request(json: #"{"id": 5, "op": "files.read"}"#)
        #expect(missing.id == 5 && missing.response == .failure(.protocolViolation("unreadable request: missing field 'path'")))
        #expect(fixture.fingerprint() == before)
    }

    @Test("paths are confined to the root: '..', absolute paths and links out are refused, links inside followed")
    func confinement() throws {
        let fixture = try Fixture(readOnly: false)
        for path in ["../outside/secret", "/etc/passwd", fixture.outside + "/secret", "out/secret", "etc/../../outside/secret"] {
            let read = fixture.request(.filesRead(path: path, maximumBytes: nil))
            #expect(read.response.failure?.kind == .files, "read \(path): \(read.response)")
            let write = fixture.request(.filesWrite(path: path, bytes: ""))
            #expect(write.response.failure?.kind == .files, "write \(path): \(write.response)")
        }
        #expect(fixture.request(.filesRead(path: "inner/app.conf", maximumBytes: nil)).response == .bytes(Data("hello".utf8).base64EncodedString()))
        #expect(fixture.request(.filesNodes(path: fixture.outside)).response.failure?.kind == .files)
        #expect(fixture.request(.filesNodes(path: fixture.root + "/..")).response.failure?.kind == .files)
        // The dir pool is the agent's own: changed through volumes.* only.
        #expect(fixture.request(.filesWrite(path: "volumes/x", bytes: "")).response.failure?.kind == .files)
        #expect(try String(contentsOfFile: fixture.outside + "/secret", encoding: .utf8) == "secret")
        let written = fixture.request(.filesWrite(path: "etc/new.conf", bytes: Data("x".utf8).base64EncodedString()))
        #expect(written.response == .done)
        #expect(FileManager.default.fileExists(atPath: fixture.root + "/etc/new.conf"))
        // A writable agent answers an unknown operation, under its id, as a protocol failure naming it.
        let unknown = fixture.request(json: #"{"id": 6, "op": "files.chmod", "path": "etc/new.conf"}"#)
        #expect(unknown.id == 6 && unknown.response == .failure(.protocolViolation("unknown operation 'files.chmod'")))
        #expect(fixture.request(json: "[1]").id == -1)
    }

    @Test("a controller of another version is refused, naming both versions")
    func versionSkew() throws {
        let root = TestScratch.path("agent-version").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let agent = try AgentServer(root: root, readOnly: true, phasekit: "9.9.9")
        let answer = agent.handle(AgentRequest(id: 1, .hello(AgentHello(phasekit: "1.0.0", configuration: AgentConfiguration(server: "s1")))))
        #expect(answer.response.failure?.kind == .version)
        #expect(answer.response.failure?.message.contains("1.0.0") == true && answer.response.failure?.message.contains("9.9.9") == true)
        // A controller of another protocol version is refused as clearly, whatever else its hello says.
        let older = agent.handle(frame: Array(#"{"id": 1, "op": "hello", "protocolVersion": 1, "phasekit": "9.9.9", "configuration": {"server": "s1", "waitSeconds": 10, "services": [], "volumeGroups": []}}"#.utf8)).0
        #expect(older.response.failure?.kind == .version && older.response.failure?.message.contains("protocol 1") == true)
        // Nothing is served before a hello that was accepted.
        #expect(agent.handle(AgentRequest(id: 2, .filesList(path: "."))).response.failure?.kind == .protocolViolation)
    }

    @Test("a controller checks the welcome's versions too: an agent of another protocol is a clear mismatch")
    func controllerChecksTheWelcome() throws {
        let base = TestScratch.path("agent-welcome").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // An agent that accepts any hello and says it speaks protocol 1.
        let welcome = #"{"id": 1, "welcome": {"protocolVersion": 1, "phasekit": "9.9.9", "root": "/", "readOnly": true, "protected": [], "hostname": "h"}}"#
        let count = UInt32(welcome.utf8.count)
        let frame = [UInt8(count >> 24), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)] + Array(welcome.utf8)
        try Data(frame).write(to: URL(fileURLWithPath: base + "/welcome"))
        let error = try #require(throws: RemoteError.self) {
            try AgentConnection(server: "s1", host: "old", command: ["sh", "-c", "cat '\(base)/welcome'; exec cat >/dev/null"],
                                configuration: AgentConfiguration(server: "s1"), phasekit: "9.9.9", timeout: .seconds(20))
        }
        guard case .versionMismatch(let message) = error else { Issue.record("not a version mismatch: \(error)"); return }
        #expect(message.contains("protocol \(AgentProtocol.version)") && message.contains("protocol 1"), "\(message)")
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
        func exchange(_ request: AgentRequest) throws -> AgentAnswer {
            try AgentFrame.write(Array(try JSONEncoder().encode(request)), to: toAgent[1])
            let frame = try #require(try AgentFrame.read(from: fromAgent[0], deadline: .now + .seconds(20)))
            return try JSONDecoder().decode(AgentAnswer.self, from: Data(frame))
        }
        let hello = AgentHello(phasekit: "9.9.9", configuration: AgentConfiguration(server: "s1", volumesBackend: "dir", volumesPath: fixture.root + "/volumes"))
        let welcome = try exchange(AgentRequest(id: 7, .hello(hello)))
        #expect(welcome.id == 7)
        if case .welcome(let welcomed) = welcome.response {
            #expect(welcomed.root == FilePaths.canonical(fixture.root))
        } else {
            Issue.record("no welcome: \(welcome.response)")
        }
        for index in 0..<20 {
            let create = AgentRequest(id: 10 + index, .volumesCreate(Volume(name: "v\(index)", group: "vg", role: .data, size: 4096)))
            #expect(try exchange(create).response == .done)
        }
        let listing = try exchange(AgentRequest(id: 40, .volumesList(VolumeFilter()))).response
        if case .volumes(let volumes) = listing { #expect(volumes.count == 20) } else { Issue.record("no listing: \(listing)") }
        // A backend's typed error comes back typed: a volume's kind and name.
        let again = try exchange(AgentRequest(id: 41, .volumesCreate(Volume(name: "v0", group: "vg", role: .data, size: 4096))))
        if case .volume(let error)? = again.response.failure {
            #expect(error.kind == .alreadyExists && error.volume == "v0")
        } else {
            Issue.record("no volume failure: \(again.response)")
        }
        close(toAgent[1])
        done.wait()
        for descriptor in [toAgent[0], fromAgent[0], fromAgent[1]] { close(descriptor) }
    }
}
