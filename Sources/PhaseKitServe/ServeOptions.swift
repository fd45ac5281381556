public import PhaseKit

/// What `phasekit serve` was asked for: the site, where to listen, the token, the saved plan to
/// show, and the bounds that keep a hostile or slow client from growing the server.
public struct ServeOptions: Sendable {
    /// The site directory (holds site.yaml).
    public var siteDirectory: String
    /// Where to listen; 127.0.0.1 on an ephemeral port unless given.
    public var listen: ListenAddress
    /// The token every request must carry, when `--token-file` gave one.
    public var token: String?
    /// `--plan FILE`: a saved plan (`run --plan-out`) to show under `/api/plan`.
    public var planFile: String?
    /// The change models of the procedures (`configure`'s `replication`), as the CLI registers them.
    public var changeProviders: [String: any ChangeProvider] = [:]
    /// Connections served at once; more wait in the kernel's listen backlog (``backlog``), and
    /// beyond that the kernel refuses them.
    public var maxConnections = 2048
    /// The listen backlog.
    public var backlog = 256
    /// A connection with no request in progress is closed after this many seconds.
    public var idleTimeoutSeconds: Int64 = 30
    /// A client whose socket stays unwritable (it does not read) this long is dropped.
    public var stalledWriteSeconds: Int64 = 10
    /// The seconds between two heartbeat comments on an event stream.
    public var heartbeatSeconds: Double = 15
    /// How often the journal is looked at when inotify is not available, in milliseconds (the stat loop, see docs/serve-api.md).
    public var journalPollMilliseconds: Int = 20
    /// How long a burst of journal records is let in after the first before the pages get the
    /// document (inotify only; the stat loop coalesces by its interval).
    public var coalesceMilliseconds: Int = 15
    /// The largest JSON document served; a longer one is refused with 500 and a short error.
    public var maxDocumentBytes = 8 * 1024 * 1024
    /// Text from the site (a title, a log line, a finding) is cut to this many bytes in the documents.
    public var maxTextBytes = 16 * 1024

    public init(siteDirectory: String, listen: ListenAddress = .loopback) {
        self.siteDirectory = siteDirectory
        self.listen = listen
    }
}
