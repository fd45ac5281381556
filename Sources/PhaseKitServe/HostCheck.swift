import Synchronization

/// Without a token, serve answers only requests addressed to this machine by a loopback name
/// (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`, or the address it listens on): a web page
/// elsewhere that points its own domain at 127.0.0.1 (DNS rebinding) gets 403, not the site's data.
/// With a token, the token is the check.
final class HostCheck: Sendable {
    private let listenHost: String
    /// The port, once the server listens (it may have been 0: any free one).
    private let port = Mutex<Int?>(nil)

    init(listen: ListenAddress) {
        listenHost = listen.host
    }

    /// Records the port the server got.
    func listening(on port: Int) {
        self.port.withLock { $0 = port }
    }

    /// Whether a request's `Host` header names this server by a loopback name.
    func admits(_ host: String?) -> Bool {
        guard let host, let port = port.withLock({ $0 }) else { return false }
        let shownListen = listenHost.contains(":") ? "[\(listenHost)]" : listenHost
        let names = ["127.0.0.1", "localhost", "[::1]", shownListen]
        return names.contains { host.lowercased() == "\($0):\(port)" }
    }
}
