#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one chokepoint every failing system call of this module goes through.
///
/// Each overload runs a C call, retries it on `EINTR`, and turns the failure
/// convention of that call (`-1`, or a null pointer) plus `errno` into a
/// ``SystemCallError``.
enum SystemCall {
    /// Runs a call that returns `-1` and sets `errno` on failure.
    ///
    /// - Parameters:
    ///   - call: the C function's name, for the error.
    ///   - path: the path it acts on, for the error.
    ///   - body: the call itself.
    /// - Returns: the call's non-negative result.
    /// - Throws: ``SystemCallError`` with the call's `errno`.
    @discardableResult
    static func run<Result: FixedWidthInteger & SignedInteger>(
        _ call: String, _ path: String, _ body: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(call: call, path: path, code: code)
        }
    }

    /// Runs a call that returns `nil` and sets `errno` on failure (`opendir`).
    ///
    /// - Parameters:
    ///   - call: the C function's name, for the error.
    ///   - path: the path it acts on, for the error.
    ///   - body: the call itself.
    /// - Returns: the call's non-nil result.
    /// - Throws: ``SystemCallError`` with the call's `errno`.
    static func run<Pointer>(_ call: String, _ path: String, _ body: () -> Pointer?) throws(SystemCallError) -> Pointer {
        while true {
            if let result = body() { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(call: call, path: path, code: code)
        }
    }

    /// Runs a call that returns `nil` both at its end and on failure, telling them
    /// apart by `errno` (`readdir`).
    ///
    /// - Parameters:
    ///   - call: the C function's name, for the error.
    ///   - path: the path it acts on, for the error.
    ///   - body: the call itself.
    /// - Returns: the call's result, `nil` at the end.
    /// - Throws: ``SystemCallError`` when `errno` was set.
    static func runUntilEnd<Pointer>(_ call: String, _ path: String, _ body: () -> Pointer?) throws(SystemCallError) -> Pointer? {
        errno = 0
        if let result = body() { return result }
        let code = errno
        if code != 0 { throw SystemCallError(call: call, path: path, code: code) }
        return nil
    }
}
