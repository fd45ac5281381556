/// A value that cannot cross between Lua and the host, with where it sits inside its table.
public struct LuaBridgeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, such as "a function cannot be used as a plain value".
    public var reason: String
    /// Where the value sits, such as `.volumes[2].name`; empty for the value itself.
    public var path: String

    public init(_ reason: String, path: String = "") {
        self.reason = reason
        self.path = path
    }

    public var description: String { path.isEmpty ? reason : "\(reason) (at \(path))" }
}
