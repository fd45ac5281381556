/// The version of phasekit, printed by `phasekit --version` and written into every JSON report.
///
/// Raise it with every release; the report's own `version` (``RunReport/formatVersion``) changes
/// only when the report format does.
public enum PhaseKitVersion {
    /// Semantic version of the tool.
    public static let current = "0.2.0"
}
