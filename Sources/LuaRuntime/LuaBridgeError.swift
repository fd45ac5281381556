/// A value that cannot cross between Lua and the host, with where it sits inside its table.
public struct LuaBridgeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, such as "a function cannot be used as a plain value".
    public var reason: String
    /// Where the value sits, such as `.volumes[2].name`; empty for the value itself.
    public var path: String
    /// Converting the value would have passed the run's memory limit (which is now tripped).
    public var exceedsMemory = false

    public init(_ reason: String, path: String = "") {
        self.reason = reason
        self.path = path
    }

    static func memoryLimit(path: String) -> LuaBridgeError {
        var error = LuaBridgeError("memory limit exceeded converting the value", path: path)
        error.exceedsMemory = true
        return error
    }

    public var description: String { path.isEmpty ? reason : "\(reason) (at \(path))" }
}
