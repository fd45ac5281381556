/// The Pacemaker side of ``PacemakerServiceManager``: `crm_mon` readings and `crm_resource`
/// changes of a resource's `target-role`.
struct PacemakerServiceCommands: ServiceCommands {
    var backendName: String { "pacemaker" }

    func statusCommand(_ target: String) -> [String] { ["crm_mon", "--output-as=xml"] }

    func reading(_ output: String, of target: String) -> ServiceReading? {
        guard let report = PacemakerClusterStatus.parse(output) else { return nil }
        guard let observed = report.observed(target) else { return .missing("the cluster has no resource \(target)") }
        return .observed(observed)
    }

    func startCommand(_ target: String) -> [String] { setTargetRole(target, "Started") }

    func stopCommand(_ target: String) -> [String] { setTargetRole(target, "Stopped") }

    /// Pacemaker has no restart of its own here: a restart is a stop then a start.
    func restartCommand(_ target: String) -> [String]? { nil }

    /// Every resource not stopped is stopped, a failed one included (its target role is set).
    func needsNoStop(_ state: ServiceState) -> Bool { state == .stopped }

    /// Sets the resource's `target-role` meta attribute.
    private func setTargetRole(_ resource: String, _ role: String) -> [String] {
        ["crm_resource", "--resource", resource, "--meta", "--set-parameter", "target-role", "--parameter-value", role]
    }
}
