import Foundation
import Synchronization
import SystemCalls

/// One persistent connection to a `phasekit agent`: the process that carries it (the system
/// `ssh` client, or the agent itself for a local pipe) and the `hello` it answered.
///
/// Requests are sent one at a time (the connection's lock orders them); each waits for its answer
/// at most ``requestTimeout``, after the answers of every change posted before it
/// (``post(_:ticket:)``). A connection that broke stays broken: every later request fails
/// with ``RemoteError/connectionLost(_:)`` naming the server and host.
public final class AgentConnection: Sendable {
    /// The server it serves and where, for messages.
    public let server: String
    public let host: String
    public let welcome: AgentWelcome
    /// The longest any one request may wait for its answer (the run's time limit).
    public let requestTimeout: Duration

    struct Channel {
        var carrier: CarrierProcess
        var nextID = 1
        /// Requests sent that may change the host (every operation but a read and `files.sync`).
        var changes = 0
        var broken: String?
        /// Changes sent by ``post(_:ticket:)`` and not answered yet, oldest first.
        var pending: [PendingChange] = []
        /// The batch later posted changes belong to; a new one after each failure is thrown.
        var batch = 1
        /// The first failure of the current batch, thrown before anything more is sent.
        var failure: AgentFailure?
        /// Posted changes that were not made (or may not have been), for ``takeUnmade()``.
        var unmade: [UnmadeChange] = []
        /// Answers of reads sent ahead, by request id, as their frames; and the reads sent ahead
        /// whose answers nobody wants any more.
        var readAnswers: [Int: (name: AgentOperation.Name, frame: [UInt8])] = [:]
        var droppedReads: Set<Int> = []
        /// Broken while a read was sent ahead, and no request has thrown it since.
        var lostReadingAhead = false
        var input: Int32 { carrier.fromAgent }
        var output: Int32 { carrier.toAgent }
        var errors: Int32 { carrier.errors }
    }

    let channel: Mutex<Channel?>

    /// Starts `command` (which must run `phasekit agent` with its standard input and output as
    /// the protocol's) and says hello.
    ///
    /// - Throws: ``RemoteError/unreachable(_:)`` with ssh's message when the process ends before
    ///   answering, ``RemoteError/versionMismatch(_:)`` when the versions differ.
    public init(server: String, host: String, command: [String], configuration: AgentConfiguration,
                phasekit: String, timeout: Duration) throws {
        self.server = server
        self.host = host
        self.requestTimeout = timeout
        let carrier: CarrierProcess
        do {
            carrier = try CarrierProcess.start(command)
        } catch {
            throw RemoteError.unreachable("server '\(server)' on \(host): \(error)")
        }
        let channel = Mutex<Channel?>(Channel(carrier: carrier))
        let hello = AgentRequest(.hello(AgentHello(phasekit: phasekit, configuration: configuration)))
        let answer: AgentResponse
        do {
            answer = try Self.exchange(channel, hello, timeout: timeout, server: server, host: host)
        } catch RemoteError.connectionLost(let message) {
            Self.shutDown(channel)
            // The connection never opened: it was not lost, it could not be made.
            throw RemoteError.unreachable(RemoteError.prefix(server: server, host: host) + "cannot connect: "
                + RemoteError.unprefixed(message, server: server, host: host, lost: true))
        } catch {
            Self.shutDown(channel)
            throw error
        }
        guard case .welcome(let welcome) = answer else {
            Self.shutDown(channel)
            if case .version(let message)? = answer.failure {
                throw RemoteError.versionMismatch("server '\(server)' on \(host): \(message)")
            }
            throw RemoteError.unreachable("server '\(server)' on \(host): the agent refused: \(answer.failure?.message ?? "no answer to hello")")
        }
        // The agent checked the versions; so does the controller, so that neither side relies on the other.
        guard welcome.protocolVersion == AgentProtocol.version, welcome.phasekit == phasekit else {
            Self.shutDown(channel)
            throw RemoteError.versionMismatch("server '\(server)' on \(host): version mismatch: this controller is phasekit \(phasekit) "
                + "(protocol \(AgentProtocol.version)), the agent is phasekit \(welcome.phasekit) (protocol \(welcome.protocolVersion)); "
                + "install the same phasekit on both")
        }
        self.welcome = welcome
        self.channel = channel
    }

    /// Sends one request and returns its answer, which has the operation's own shape
    /// (``AgentOperation/Name/answer``); an agent's failure is thrown as the backend's error.
    public func request(_ request: AgentRequest, timeout: Duration? = nil) throws -> AgentResponse {
        let answer = try Self.exchange(channel, request, timeout: timeout ?? requestTimeout, server: server, host: host)
        if let failure = answer.failure { throw AgentErrors.error(for: failure, server: server, host: host) }
        return answer
    }

    private static func exchange(_ channel: borrowing Mutex<Channel?>, _ request: AgentRequest, timeout: Duration,
                                 server: String, host: String) throws -> AgentResponse {
        try channel.withLock { state -> AgentResponse in
            guard state != nil else { throw RemoteError.connectionLost("server '\(server)' on \(host): \(RemoteError.connectionLostMarker)the connection was closed") }
            if let broken = state!.broken { throw Self.thrownLoss(&state!, broken) }
            // Every change posted before it is answered first. A failed one is the failure of a
            // change sent after it (never sent); a read goes on (the host answers it as it is) and
            // leaves the failure to the next binding call (``raiseFailure()``).
            try collect(&state!, keep: 0, blocking: true, timeout: timeout, server: server, host: host)
            if !request.operation.isRead { try throwFailure(&state!, timeout: timeout, server: server, host: host) }
            var open = state!
            var numbered = request
            numbered.id = open.nextID
            open.nextID += 1
            if !numbered.operation.isRead && numbered.operation.name != .filesSync { open.changes += 1 }
            state = open
            do {
                try AgentFrame.write(Array(try JSONEncoder().encode(numbered)), to: open.output)
                guard let frame = try AgentFrame.read(from: open.input, deadline: .now + timeout) else {
                    throw RemoteError.connectionLost("the connection closed")
                }
                let answer = try decode(frame, to: numbered.operation.name)
                guard answer.id == numbered.id else { throw RemoteError.protocolError("an answer to another request (\(answer.id), not \(numbered.id))") }
                // An answer of another shape is no answer: whether a write happened is unknown.
                guard answer.response.answers(numbered.operation.name) else {
                    throw AgentResponse.unexpected(numbered.operation.name, answer.response)
                }
                return answer.response
            } catch let error as RemoteError {
                let message = "server '\(server)' on \(host): " + RemoteError.connectionLostMarker + Self.reason(error, open)
                state?.broken = message
                switch error {
                case .timedOut: throw RemoteError.connectionLost(message + " (no answer within \(timeout))")
                default: throw RemoteError.connectionLost(message)
                }
            }
        }
    }

    /// An answer's frame; one that cannot be read is a protocol error naming what is wrong.
    static func decode(_ frame: [UInt8], to operation: AgentOperation.Name) throws -> AgentAnswer {
        do {
            return try JSONDecoder().decode(AgentAnswer.self, from: Data(frame))
        } catch {
            throw RemoteError.protocolError("an unreadable answer to \(operation.rawValue): \(AgentServer.describe(error))")
        }
    }

    /// The connection's failure in ssh's own words when it printed any, the protocol's otherwise.
    static func reason(_ error: RemoteError, _ channel: Channel) -> String {
        if case .timedOut = error { return error.description }
        // ssh prints why it gave up, then exits (closing its standard error): read until then, briefly.
        let text = String(decoding: readUntilEnd(channel.errors, deadline: .now + .seconds(2)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? error.description : text
    }

    /// Reads a descriptor until its end or the deadline (or a failure: what was read is all there is).
    private static func readUntilEnd(_ descriptor: Int32, deadline: ContinuousClock.Instant) -> [UInt8] {
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            // A failed poll or read ends the collection like the end of input: this text only
            // explains a failure already being reported, and is empty or partial at worst.
            let ready = try? SystemCall.run("poll") {
                let left = ContinuousClock.now.duration(to: deadline)
                let milliseconds = Int32(clamping: max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                return poll(&poller, 1, milliseconds)
            }
            guard let ready, ready > 0 else { break }
            let count = try? SystemCall.run("read") { buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 4096) } }
            guard let count, count > 0 else { break }
            collected += buffer[0..<count]
        }
        return collected
    }

    /// How many requests that may change the host were sent so far (counted when sent, answered
    /// or not): what a ``RemoteFileArea`` knows of the host's files holds only while this stays
    /// what it was, but for its own writes.
    public var changes: Int { channel.withLock { $0?.changes ?? 0 } }

    /// How many requests were sent so far, `hello` included.
    public var requests: Int { channel.withLock { ($0?.nextID ?? 1) - 1 } }

    /// Whether the connection broke (or was closed): every request would fail.
    public var isBroken: Bool { channel.withLock { $0 == nil || $0?.broken != nil } }

    /// Why every request would fail now: the lost connection's message (it says
    /// ``RemoteError/connectionLostMarker``), or nil while the connection works.
    public var brokenReason: String? {
        channel.withLock { state in
            guard let open = state else { return "server '\(server)' on \(host): \(RemoteError.connectionLostMarker)the connection was closed" }
            return open.broken
        }
    }

    /// The loss of a broken connection, thrown by a request: from now on it counts as found.
    static func thrownLoss(_ open: inout Channel, _ broken: String) -> RemoteError {
        open.lostReadingAhead = false
        return RemoteError.connectionLost(broken)
    }

    /// Whether the connection broke while a read was sent ahead (``postRead(_:)``), and no
    /// request has thrown that loss yet: only a request of the server's own finds it, as it would
    /// have found it without the read ahead (``RemoteHosts`` then hands it out as it is, rather
    /// than reconnect), in whichever pass next uses the server.
    public var lostWhileReadingAhead: Bool { channel.withLock { $0?.lostReadingAhead ?? false } }

    /// Ends the agent (its input closes, it exits) and the process carrying it.
    public func close() { Self.shutDown(channel) }

    private static func shutDown(_ channel: borrowing Mutex<Channel?>) {
        channel.withLock { state in
            guard let open = state else { return }
            state = nil
            // The agent answers an end of input by exiting, which ends its output.
            open.carrier.stop { readUntilEnd($0, deadline: $1) }
        }
    }

    deinit { close() }
}
