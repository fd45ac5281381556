/// How a run treats bindings that change the world. Fixed by the host for the whole run.
public enum RunMode: String, Sendable, Codable, CaseIterable {
    /// The default: write bindings are recorded as planned changes and act only on the planned world.
    case analyze
    /// Write bindings act on the real backends and are recorded as applied changes.
    case execute
}
