/// The state properties of a unit, parsed from `systemctl show --property=ActiveState,SubState,LoadState`.
///
/// `systemctl show` prints one `Key=value` line per property, in its own order, and exits 0 even for
/// a unit that does not exist (`LoadState=not-found`).
struct SystemdUnitState: Sendable, Equatable {
    /// `loaded`, `not-found`, `bad-setting`, `error`, `masked`, ...
    var loadState: String
    /// `active`, `reloading`, `inactive`, `failed`, `activating`, `deactivating`, ...
    var activeState: String
    /// The unit-type specific state, e.g. `running`, `dead`, `start-pre`, `stop-sigterm`.
    var subState: String

    /// Parses `systemctl show` output.
    ///
    /// - Parameter text: the output.
    /// - Returns: the properties, or `nil` when `LoadState` or `ActiveState` is missing.
    static func parse(_ text: String) -> SystemdUnitState? {
        var properties: [Substring: Substring] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            properties[line[..<equals]] = line[line.index(after: equals)...]
        }
        guard let load = properties["LoadState"], let active = properties["ActiveState"] else { return nil }
        return SystemdUnitState(loadState: String(load), activeState: String(active), subState: String(properties["SubState"] ?? ""))
    }

    /// Whether systemd knows no such unit.
    var isMissing: Bool { loadState == "not-found" }

    /// The unit's state as a service state; `nil` while it is changing.
    var observed: ObservedState {
        let detail = subState.isEmpty ? activeState : "\(activeState) (\(subState))"
        switch activeState {
        case "active", "reloading", "refreshing": return ObservedState(state: .running, detail: detail)
        case "inactive": return ObservedState(state: .stopped, detail: detail)
        case "failed": return ObservedState(state: .failed, detail: detail)
        case "activating", "deactivating": return ObservedState(state: nil, detail: detail)
        default: return ObservedState(state: .unknown, detail: detail)
        }
    }
}
