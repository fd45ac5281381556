/// A file operation refused or failed: a path outside the root, phasekit's own file, a missing
/// file, an I/O error. The message names the script's path.
public struct FileAreaError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
