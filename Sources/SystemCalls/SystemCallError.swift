#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A failed system call: which call, on which path, and the `errno` it set (or the error number
/// a `posix_spawn`-style call returned).
///
/// Raw `errno` values stay inside the backends: a volume pool turns this error into a
/// `VolumeError` naming the volume, a service manager into a `ServiceError` naming the service.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The C function that failed, e.g. `open` or `fsync`, possibly with what it was applied to.
    public var call: String
    /// The file or directory it acted on, when the call names one apart.
    public var path: String?
    /// The `errno` value.
    public var code: Int32

    public init(call: String, path: String? = nil, code: Int32) {
        self.call = call
        self.path = path
        self.code = code
    }

    /// The system's words for ``code``, e.g. `No space left on device`.
    public var reason: String { String(cString: strerror(code)) }

    public var description: String {
        "\(call)\(path.map { "(\($0))" } ?? "") failed: \(reason) (errno \(code))"
    }
}
