public import Files
import Foundation
import HostSystem
import Services
import Volumes

/// `phasekit agent`: serves one host's backends to a controller, one request at a time, on a
/// pair of file descriptors (standard input and output under ssh). It runs no Lua.
///
/// Every path is confined to the root by the same resolver as on the controller
/// (``RealFileArea``); an agent started read-only refuses every operation that is not in
/// ``AgentProtocol/readOperations`` before it reaches a backend.
public final class AgentServer {
    let root: String
    let readOnly: Bool
    /// The phasekit version this agent is (and expects its controller to be).
    let phasekit: String
    let input: Int32
    let output: Int32
    /// Set by `hello`.
    var backends: AgentBackends?
    /// For tests of lost connections: after applying this many writes, exit without answering the last.
    public var dropAfterWrites: Int?
    private var writes = 0
    /// For tests of lost connections during reads: exit, unanswered, on receiving the `count`th
    /// request of operation `op` (before acting on it).
    public var dropAt: (op: String, count: Int)?

    /// - Parameters:
    ///   - root: the server's root on this host; it must exist.
    ///   - readOnly: refuse every write.
    ///   - phasekit: this agent's phasekit version.
    public init(root: String, readOnly: Bool, phasekit: String, input: Int32 = 0, output: Int32 = 1) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileAreaError("\(root): no such root directory on this host")
        }
        self.root = FilePaths.canonical(root) ?? root
        self.readOnly = readOnly
        self.phasekit = phasekit
        self.input = input
        self.output = output
    }

    /// Serves requests until the controller closes the connection.
    public func serve() throws {
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        while let frame = try AgentFrame.read(from: input, deadline: nil) {
            let response: AgentResponse
            do {
                let request = try decoder.decode(AgentRequest.self, from: Data(frame))
                if let drop = dropAt, request.op == drop.op {
                    dropAt?.count -= 1
                    if drop.count <= 1 { exit(75) }
                }
                response = handle(request)
                if AgentProtocol.isWrite(request.op), response.failure == nil, let limit = dropAfterWrites {
                    writes += 1
                    // The write happened, its answer never arrives: to the controller, a connection lost mid-write.
                    if writes >= limit { exit(75) }
                }
            } catch {
                var failed = AgentResponse(id: -1)
                failed.failure = AgentFailure(kind: "protocol", message: "unreadable request: \(error)")
                response = failed
            }
            try AgentFrame.write(Array(try encoder.encode(response)), to: output)
        }
    }

    /// Answers one request; every failure becomes the response's ``AgentFailure``.
    public func handle(_ request: AgentRequest) -> AgentResponse {
        do {
            if request.op != "hello" && request.op != "echo" && backends == nil {
                throw AgentFailure(kind: "protocol", message: "the first request must be hello")
            }
            if readOnly && AgentProtocol.isWrite(request.op) {
                throw AgentFailure(kind: "refused", message: "\(request.op): refused, this agent serves \(root) read-only (analysis changes nothing)")
            }
            var response = try perform(request)
            response.id = request.id
            return response
        } catch {
            var response = AgentResponse(id: request.id)
            response.failure = Self.failure(of: error)
            return response
        }
    }

    /// The wire form of a backend's error.
    static func failure(of error: any Error) -> AgentFailure {
        switch error {
        case let failure as AgentFailure: return failure
        case let tooLarge as FileTooLarge:
            return AgentFailure(kind: "file-too-large", message: tooLarge.description, subject: tooLarge.path, size: tooLarge.size)
        case let files as FileAreaError: return AgentFailure(kind: "files", message: files.message)
        case let volume as VolumeError: return AgentFailure(kind: "volume:" + volume.kind.rawValue, message: volume.message, subject: volume.volume)
        case let service as ServiceError: return AgentFailure(kind: "service:" + service.kind.rawValue, message: service.message, subject: service.service)
        case let command as CommandError: return AgentFailure(kind: "command", message: command.description)
        default: return AgentFailure(kind: "error", message: String(describing: error))
        }
    }

    func hello(_ request: AgentRequest) throws -> AgentResponse {
        let theirs = request.phasekit ?? "unknown"
        guard request.protocolVersion == AgentProtocol.version, theirs == phasekit else {
            throw AgentFailure(kind: "version", message: "version mismatch: the controller is phasekit \(theirs) (protocol \(request.protocolVersion ?? 0)), "
                + "this agent is phasekit \(phasekit) (protocol \(AgentProtocol.version)); install the same phasekit on both")
        }
        guard let configuration = request.configuration else { throw AgentFailure(kind: "protocol", message: "hello without a configuration") }
        let made = try AgentBackends(configuration: configuration, root: root, writable: !readOnly)
        backends = made
        var response = AgentResponse(id: request.id)
        response.welcome = AgentWelcome(protocolVersion: AgentProtocol.version, phasekit: phasekit, root: root, readOnly: readOnly,
                                        protected: made.files.protected, hostname: ProcessInfo.processInfo.hostName)
        return response
    }
}

extension AgentFailure: Error {}
