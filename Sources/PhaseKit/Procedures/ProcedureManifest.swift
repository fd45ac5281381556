/// What a procedure's `procedure.lua` declares, validated.
package struct ProcedureManifest: Sendable {
    var title: String
    var description: String
    /// Sections in the order they run.
    var sections: [String]
    /// `confirm = "once"` (otherwise `"phase"`).
    var confirmOnce: Bool
    /// `interruptible = false` defers signals once execution started.
    var interruptible: Bool
    /// `change = "NAME"`: the change provider that computes `ctx.change`.
    var changeProvider: String?
    /// `roles = {...}`: the roles of the servers its per-server steps act on.
    var roles: [String] = []
    /// The manifest file.
    var path: String?
}
