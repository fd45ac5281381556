/// The systemd side of ``SystemdServiceManager``: `systemctl` commands on units.
struct SystemdServiceCommands: ServiceCommands {
    var backendName: String { "systemd" }

    func statusCommand(_ target: String) -> [String] {
        ["systemctl", "show", "--property=ActiveState,SubState,LoadState", target]
    }

    func reading(_ output: String, of target: String) -> ServiceReading? {
        guard let state = SystemdUnitState.parse(output) else { return nil }
        if state.isMissing { return .missing("systemd has no unit \(target)") }
        return .observed(state.observed)
    }

    func startCommand(_ target: String) -> [String] { ["systemctl", "start", target] }

    func stopCommand(_ target: String) -> [String] { ["systemctl", "stop", target] }

    func restartCommand(_ target: String) -> [String]? { ["systemctl", "restart", target] }

    /// Only a running unit is stopped: a failed unit is left as it is.
    func needsNoStop(_ state: ServiceState) -> Bool { state != .running }
}
