#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: which call, on which path, and the `errno` it set.
///
/// Raw `errno` values stay inside this module; pools turn this error into a
/// ``VolumeError`` of kind ``VolumeError/Kind/backendFailure`` naming the volume.
struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The C function that failed, e.g. `open` or `fsync`.
    var call: String
    /// The file or directory it acted on.
    var path: String
    /// The `errno` value it set.
    var code: Int32

    var description: String {
        "\(call)(\(path)) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}
