public import LuaRuntime

/// What one write does, in operator terms: the line plans and reports show for it.
///
/// Each write binding declares how it describes its calls next to its effect, in the registry
/// (``Binding/describe``); the dispatcher asks before the write reaches the world, so the
/// description sees the world as it was (a file's old content, for its diff).
public struct ChangeDescription: Sendable, Hashable {
    /// One line, such as "stop service io-orchestrator on cms".
    public var text: String
    /// A unified diff of a file the write replaces, or nil.
    public var diff: String?

    public init(_ text: String, diff: String? = nil) {
        self.text = text
        self.diff = diff
    }

    /// The longest description or diff kept (longer ones are cut with a marker).
    public static let maximumBytes = 16 * 1024
}

/// Describes one call of a write binding from its arguments, before it runs.
public typealias ChangeDescriber = (borrowing LuaCall, BindingInvocation) throws -> ChangeDescription
