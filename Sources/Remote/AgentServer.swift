import Files
import Foundation
import HostSystem
import Services
import Volumes

/// `phasekit agent`: serves one host's backends to a controller, one request at a time, on a
/// pair of file descriptors (standard input and output under ssh). It runs no Lua.
///
/// Every path is confined to the root by the same resolver as on the controller
/// (``RealFileArea``); an agent started read-only refuses every operation that is not in
/// a read (``AgentOperation/Name/isRead``) before it reaches a backend.
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
    /// The batch (``AgentRequest/batch``) whose change failed: its later changes are not made.
    private var failedBatch: Int?
    /// For tests of lost connections during reads: exit, unanswered, on receiving the `count`th
    /// request of operation `op` (before acting on it).
    public var dropAt: (op: String, count: Int)?
    /// For tests of failed changes: the `count`th request of operation `op` is answered with a
    /// file failure, without acting on it.
    public var failAt: (op: String, count: Int)?

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
        let encoder = JSONEncoder()
        while let frame = try AgentFrame.read(from: input, deadline: nil) {
            if dropsUnanswered(frame) { exit(75) }
            let (answer, operation) = handle(frame: frame)
            if let operation, !operation.isRead, operation.name != .filesSync, answer.response.failure == nil, let limit = dropAfterWrites {
                writes += 1
                // The write happened, its answer never arrives: to the controller, a connection lost mid-write.
                if writes >= limit { exit(75) }
            }
            try AgentFrame.write(Array(try encoder.encode(answer)), to: output)
        }
        // The controller went away (its run ended, or it was killed before a row's files.sync):
        // what it wrote is made durable all the same; no one is left to tell of a failure, and
        // the row was not recorded finished, so resume plans it again from the host's real state.
        try? backends?.files.syncWrites()
    }

    /// Answers one request frame, and says which operation it was when it could be read. A request
    /// that cannot be read is answered under its own id when it has one: refused by a read-only
    /// agent unless it names a read, a protocol failure otherwise.
    public func handle(frame: [UInt8]) -> (AgentAnswer, AgentOperation?) {
        let request: AgentRequest
        do {
            request = try JSONDecoder().decode(AgentRequest.self, from: Data(frame))
        } catch {
            // A frame that is not even an object with an id is answered under id -1 (docs/remote.md).
            let envelope = try? JSONDecoder().decode(AgentRequest.Envelope.self, from: Data(frame))
            let op = envelope?.op ?? "?"
            let failure = if readOnly, AgentOperation.Name(rawValue: op)?.isRead != true {
                refusal(op)
            } else {
                error as? AgentFailure ?? .protocolViolation("unreadable request: \(Self.describe(error))")
            }
            return (AgentAnswer(id: envelope?.id ?? -1, .failure(failure)), nil)
        }
        return (handle(request), request.operation)
    }

    /// The test hook `--drop-at OP=N`: whether this frame is the Nth request of OP, which the agent
    /// leaves unanswered by exiting (a connection lost under a read or a write).
    func dropsUnanswered(_ frame: [UInt8]) -> Bool {
        guard let drop = dropAt else { return false }
        // A frame whose envelope cannot be read is no request of OP: it is answered as usual.
        guard let envelope = try? JSONDecoder().decode(AgentRequest.Envelope.self, from: Data(frame)), envelope.op == drop.op else {
            return false
        }
        dropAt?.count -= 1
        return drop.count <= 1
    }

    /// Answers one request; every failure becomes the response's ``AgentFailure``.
    public func handle(_ request: AgentRequest) -> AgentAnswer {
        do {
            if backends == nil && ![.hello, .echo].contains(request.operation.name) {
                throw AgentFailure.protocolViolation("the first request must be hello")
            }
            if readOnly && !request.operation.isRead { throw refusal(request.operation.name.rawValue) }
            if let batch = request.batch, batch == failedBatch {
                throw AgentFailure.refused("\(request.operation.name.rawValue): not made, an earlier change sent with it failed")
            }
            if var fail = failAt, fail.op == request.operation.name.rawValue {
                fail.count -= 1
                failAt = fail
                if fail.count == 0 { throw Self.injectedFailure(request.operation) }
            }
            return AgentAnswer(id: request.id, try perform(request.operation))
        } catch {
            if let batch = request.batch { failedBatch = batch }
            return AgentAnswer(id: request.id, .failure(Self.failure(of: error)))
        }
    }

    /// The failure `--fail-at` answers with, worded as the file system's.
    static func injectedFailure(_ operation: AgentOperation) -> AgentFailure {
        switch operation {
        case .filesWrite(let path, _): .files("'\(path)': cannot write (failed on purpose: --fail-at)")
        case .filesRemove(let path): .files("'\(path)': cannot remove (failed on purpose: --fail-at)")
        default: .other("\(operation.name.rawValue): failed on purpose (--fail-at)")
        }
    }

    private func refusal(_ op: String) -> AgentFailure {
        .refused("\(op): refused, this agent serves \(root) read-only (analysis changes nothing)")
    }

    /// A decoding failure in a sentence: which field is missing or wrong.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        default: String(describing: error)
        }
    }

    /// The wire form of a backend's error.
    static func failure(of error: any Error) -> AgentFailure {
        switch error {
        case let failure as AgentFailure: failure
        case let tooLarge as FileTooLarge: .fileTooLarge(path: tooLarge.path, size: tooLarge.size)
        case let files as FileAreaError: .files(files.message)
        case let volume as VolumeError: .volume(volume)
        case let service as ServiceError: .service(service)
        case let command as CommandError: .command(command.description)
        default: .other(String(describing: error))
        }
    }

    func hello(_ hello: AgentHello) throws -> AgentResponse {
        let theirs = hello.phasekit ?? "unknown"
        guard hello.protocolVersion == AgentProtocol.version, theirs == phasekit else {
            throw AgentFailure.version("version mismatch: the controller is phasekit \(theirs) (protocol \(hello.protocolVersion ?? 0)), "
                + "this agent is phasekit \(phasekit) (protocol \(AgentProtocol.version)); install the same phasekit on both")
        }
        let made = try AgentBackends(configuration: hello.configuration, root: root, writable: !readOnly)
        backends = made
        return .welcome(AgentWelcome(protocolVersion: AgentProtocol.version, phasekit: phasekit, root: root, readOnly: readOnly,
                                     protected: made.files.protected, hostname: ProcessInfo.processInfo.hostName))
    }
}
