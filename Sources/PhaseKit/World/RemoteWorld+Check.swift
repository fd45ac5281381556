import Synchronization
import Foundation
import Remote

extension RemoteWorld {
    /// What `phasekit hosts check` found for one server.
    public struct HostCheck: Codable, Sendable {
        public var server: String
        /// The host, or nil for a server on this machine.
        public var host: String?
        public var phasekit: String?
        /// The tools found there (systemctl, crm_resource, lvs) and their paths.
        public var backends: [String: String]?
        public var roundTripMilliseconds: Double?
        public var error: String?

        /// One line for the terminal.
        public var line: String {
            guard let host else { return "\(server): this machine (no host)" }
            if let error { return "\(server) on \(host): UNREACHABLE: \(error)" }
            let tools = (backends ?? [:]).keys.sorted().joined(separator: ", ")
            return "\(server) on \(host): phasekit \(phasekit ?? "?"), backends: \(tools.isEmpty ? "none" : tools), "
                + "round trip \(String(format: "%.2f", roundTripMilliseconds ?? 0)) ms"
        }
    }

    /// Connects (read-only) to every server with a host, all at once.
    public static func check(_ site: SiteConfiguration) -> [HostCheck] {
        let reach = Reach(site, timeout: .seconds(Double(site.ssh.connectTimeoutSeconds ?? 30) + 30))
        let servers = site.servers
        let results = Checks(count: servers.count)
        AllAtOnce.run(servers.count) { index in
            let server = servers[index]
            var result = HostCheck(server: server.name, host: server.host)
            if server.host != nil {
                do {
                    let connection = try connect(server, reach: reach, readOnly: true)
                    defer { connection.close() }
                    result.phasekit = connection.welcome.phasekit
                    let answer = try connection.request(AgentRequest(.hostInfo))
                    guard case .tools(let tools) = answer else { throw AgentResponse.unexpected(.hostInfo, answer) }
                    result.backends = tools
                    let started = ContinuousClock.now
                    let rounds = 10
                    for _ in 0..<rounds { _ = try connection.request(AgentRequest(.echo(bytes: ""))) }
                    let elapsed = ContinuousClock.now - started
                    result.roundTripMilliseconds = (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15) / Double(rounds)
                } catch {
                    // The line names the server and host already: the error's own prefix is left out.
                    result.error = RemoteError.unprefixed(String(describing: error), server: server.name, host: server.host ?? "")
                }
            }
            results.set(index, result)
        }
        return results.all
    }
}

/// Results of concurrent checks, by index.
private final class Checks: Sendable {
    private let table: Mutex<[RemoteWorld.HostCheck?]>
    init(count: Int) { table = Mutex(Array(repeating: nil, count: count)) }
    func set(_ index: Int, _ value: RemoteWorld.HostCheck) { table.withLock { $0[index] = value } }
    var all: [RemoteWorld.HostCheck] { table.withLock { $0.compactMap { $0 } } }
}

extension RemoteWorld {
    /// What `resume` is told to finish about a row that failed because a server's connection was
    /// lost, for its `step-finished` journal entry (`inDoubt`): the writes under way when it was
    /// lost (they may have happened or not: `resume` re-plans them from the real state), or, when
    /// it was lost during a read, the row's error. Nil for any other row. Such a row's error then
    /// tells the operator to resume.
    static func inDoubt(_ step: inout RunReport.Step) -> [String]? {
        guard step.state == .failed, let error = step.error, error.message.contains(RemoteError.connectionLostMarker) else { return nil }
        if !error.message.contains(resumeAdvice) { step.error?.message += resumeAdvice }
        let doubtful = step.changes.filter { $0.status == .failed && ($0.error ?? "").contains(RemoteError.connectionLostMarker) }.map(\.summary)
        return doubtful.isEmpty ? [error.message] : doubtful
    }

    /// Said by a row that failed because a connection was lost.
    static let resumeAdvice = "; run phasekit resume once the host is reachable: it re-plans this step from the host's real state"

    /// Throws the loss of a connection `world` used (``lostConnection(in:)``).
    static func checkConnections(of world: World) throws {
        if let reason = lostConnection(in: world) { throw RemoteError.connectionLost(reason) }
    }

    /// A step's failure as the loss of a connection, or nil when no connection was lost: an unmet
    /// precondition (exit 3, as a host unreachable before the run), never a script error, and
    /// never read as the host's state. A PostgreSQL connection that broke under a statement says
    /// the same marker (`Databases`' `PostgresStatus.lostConnection`).
    static func lostConnection(in world: World, failure: any Error) -> PhaseKitError? {
        if let reason = lostConnection(in: world) { return .precondition(reason) }
        let message = RunReport.ErrorDetail(failure).message
        return message.contains(RemoteError.connectionLostMarker) ? .precondition(message) : nil
    }
}
