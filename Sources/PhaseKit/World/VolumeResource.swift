public import Volumes

/// A server's volume pool as bindings see it, remembering which volumes the run planned.
///
/// In the real world it wraps the site's pool; in the planned world an in-memory copy of it,
/// made on first use, so reads after planned writes show the planned state.
public final class VolumeResource {
    public let pool: any VolumePool
    /// Names of volumes created by this run in the planned world.
    public private(set) var plannedNames: Set<String> = []
    public let isPlanned: Bool

    public init(pool: any VolumePool, isPlanned: Bool) {
        self.pool = pool
        self.isPlanned = isPlanned
    }

    func noteCreated(_ name: String) { if isPlanned { plannedNames.insert(name) } }
    func noteDeleted(_ name: String) { plannedNames.remove(name) }
}
