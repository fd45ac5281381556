internal import Glibc

/// A C library or system call that failed, with the `errno` it reported.
struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call and what it was applied to, e.g. `open(/srv/site/state/services/web.pid)`.
    var call: String
    /// The `errno` value (or the error number a `posix_spawn`-style call returned).
    var code: Int32

    var description: String {
        "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}
