public import Files
/// A kind of resource a ``World`` makes on first use, one per server, and the Swift type it has.
///
/// The engine's kinds are the static members below; a binding module of its own (a test's, the
/// benchmark's) declares its key the same way: `static let counter = ResourceKey<CounterStore>("counter")`.
public struct ResourceKey<Resource>: Sendable {
    /// The kind's name, for messages ("this site configures no volumes").
    public let name: String

    public init(_ name: String) {
        self.name = name
    }
}

extension ResourceKey where Resource == SiteConfiguration {
    /// The site itself (`hosts.*`).
    public static var site: Self { Self("site") }
}

extension ResourceKey where Resource == DatabaseSession {
    /// The site's database (`db.*`); one for the whole site.
    public static var database: Self { Self("database") }
}

extension ResourceKey where Resource == VolumeResource {
    /// A server's volume pool (`volumes.*`).
    public static var volumes: Self { Self("volumes") }
}

extension ResourceKey where Resource == any FileArea {
    /// A server's files root (`files.*`).
    public static var files: Self { Self("files") }
}

extension ResourceKey where Resource == ServiceResource {
    /// A server's services (`services.*`).
    public static var services: Self { Self("services") }
}
