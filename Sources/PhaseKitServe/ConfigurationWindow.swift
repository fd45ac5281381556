import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// `phasekit serve`: the Configuration Window of one site, a read-only web page and its JSON API
/// (docs/serve-api.md), served by Hummingbird 2.
///
/// The engine's work (reading the journal, the analyses) runs on two ``EngineQueue`` threads,
/// never on the event loops; one ``JournalWatcher`` thread pushes the run to every open page.
public final class ConfigurationWindow: Sendable {
    let options: ServeOptions
    let access: AccessToken?

    /// Checks the options: a non-loopback address needs a token.
    ///
    /// - Throws: ``ServeError/refused(_:)`` for a non-loopback address without a token.
    public init(options: ServeOptions) throws {
        if !options.listen.isLoopback && options.token == nil {
            throw ServeError.refused("refusing to listen on \(options.listen.host), which is not a loopback address, without a token: "
                                     + "give --token-file FILE (every request must then carry the token)")
        }
        if let token = options.token, token.count < 16 {
            throw ServeError.usage("the token must be at least 16 characters long")
        }
        self.options = options
        access = options.token.map(AccessToken.init(token:))
    }

    /// Serves until the task is cancelled or the server fails. `announce` gets the address to open
    /// (with a one-time code when a token is needed) once the server listens.
    public func run(announce: @escaping @Sendable (_ url: String, _ port: Int) -> Void) async throws {
        let reader = SiteReader(options: options)
        let quick = EngineQueue(), slow = EngineQueue()
        let hub = EventHub()
        let encoder = DocumentEncoder(maxBytes: options.maxDocumentBytes)
        let hosts = HostCheck(listen: options.listen)
        let responder = WindowResponder(reader: reader, summary: SummaryReader(reader: reader), quick: quick, slow: slow, hub: hub,
                                        access: access, hosts: hosts, encoder: encoder, heartbeat: .seconds(options.heartbeatSeconds))
        var logger = Logger(label: "phasekit.serve")
        logger.logLevel = .critical
        let stalled = TimeAmount.seconds(options.stalledWriteSeconds)
        let http = HTTP1Channel.Configuration(additionalChannelHandlers: [StalledWriteGuard(limit: stalled)],
                                              idleTimeout: .seconds(options.idleTimeoutSeconds))
        let configuration = ApplicationConfiguration(
            address: .hostname(options.listen.host, port: options.listen.port), serverName: nil, backlog: options.backlog,
            availableConnectionsDelegate: MaximumAvailableConnections(options.maxConnections, logger: logger))
        let listen = options.listen
        let code = access?.linkCode
        let application = Application(responder: responder, server: .http1(configuration: http), configuration: configuration,
                                      onServerRunning: { channel in
                                          let port = channel.localAddress?.port ?? listen.port
                                          hosts.listening(on: port)
                                          announce(listen.url(port: port) + (code.map { "?token=\($0)" } ?? ""), port)
                                      }, logger: logger)
        let watcher = JournalWatcher(reader: reader, hub: hub, encoder: encoder)
        watcher.start()
        defer { watcher.stop() }
        try await application.run()
    }
}
