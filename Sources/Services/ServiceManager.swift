/// The state of one service as its backend reports it.
public enum ServiceState: String, Sendable, Codable, CaseIterable {
    case running
    case stopped
    case failed
    case unknown
}

/// One service known to a service manager.
public struct ServiceInfo: Sendable, Equatable, Codable {
    /// The service's name as the site names it.
    public var name: String
    /// Its current state.
    public var state: ServiceState

    public init(name: String, state: ServiceState) {
        self.name = name
        self.state = state
    }
}

/// A typed service failure.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The service is not defined by the site or the backend.
        case unknownService
        /// The command or action to change its state failed.
        case actionFailed
        /// The service did not reach the wanted state within the bounded wait.
        case timedOut
        /// The backend cannot be used (tool missing, bad definition).
        case backendUnavailable
    }

    public var kind: Kind
    public var service: String
    public var message: String

    public init(_ kind: Kind, service: String, _ message: String) {
        self.kind = kind
        self.service = service
        self.message = message
    }

    public var description: String { "\(service): \(message)" }
}

/// Starts, stops and inspects a site's services.
///
/// Requirements:
/// - `start`, `stop` and `restart` return only once the service reached the wanted state, waiting at
///   most ``ServiceManager/waitLimit``; otherwise they throw ``ServiceError/Kind/timedOut`` naming
///   the state it was left in.
/// - Starting a running service or stopping a stopped one succeeds without acting.
/// - `status` inspects the real state every time (no cache).
/// - An unknown name throws ``ServiceError/Kind/unknownService``.
public protocol ServiceManager: AnyObject {
    /// The backend's name as written in `site.yaml` (`process`, `systemd`, `pacemaker`).
    var backendName: String { get }
    /// How long a state change may take before it fails.
    var waitLimit: Duration { get }

    /// Every service the site defines, with its current state, sorted by name.
    func list() throws -> [ServiceInfo]
    /// The current state of one service.
    func status(_ name: String) throws -> ServiceState
    /// Starts a service and waits until it runs.
    func start(_ name: String) throws
    /// Stops a service and waits until it is stopped.
    func stop(_ name: String) throws
    /// Stops then starts a service and waits until it runs.
    func restart(_ name: String) throws
}
