/// One reading of a service's state from a cluster or init-system tool.
struct ObservedState: Sendable, Equatable {
    /// The mapped state, or `nil` while the service is between states (activating, deactivating, ...).
    var state: ServiceState?
    /// The tool's own words for the state, for messages (e.g. `activating (start-pre)`).
    var detail: String
}
