#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The one chokepoint through which the backends (files, volumes, services, the agent protocol,
/// the journal and the site lock) make every C call that can fail.
///
/// Each helper runs the call, retries it on `EINTR` where that applies, and turns the call's
/// failure convention (`-1` plus `errno`, a null pointer plus `errno`, or a returned error number)
/// into a thrown ``SystemCallError`` naming the call, so no call site reads `errno` itself.
public enum SystemCall {
    /// Runs a call that returns `-1` and sets `errno` on failure, retrying on `EINTR`.
    ///
    /// - Parameters:
    ///   - call: the C function's name (and arguments worth naming), for the error.
    ///   - path: the file it acts on, for the error, when there is one.
    ///   - body: the call itself.
    /// - Returns: the call's non-negative result.
    /// - Throws: ``SystemCallError`` with the call's `errno`.
    @discardableResult
    public static func run<Result: FixedWidthInteger & SignedInteger>(
        _ call: String, _ path: String? = nil, _ body: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(call: call, path: path, code: code)
        }
    }

    /// Runs a call that returns `nil` and sets `errno` on failure (`opendir`), retrying on `EINTR`.
    ///
    /// - Parameters:
    ///   - call: the C function's name, for the error.
    ///   - path: the path it acts on, for the error.
    ///   - body: the call itself.
    /// - Returns: the call's non-nil result.
    /// - Throws: ``SystemCallError`` with the call's `errno`.
    public static func run<Pointer>(_ call: String, _ path: String? = nil, _ body: () -> Pointer?) throws(SystemCallError) -> Pointer {
        while true {
            if let result = body() { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(call: call, path: path, code: code)
        }
    }

    /// Runs a call that returns `nil` both at its end and on failure, telling them apart by
    /// `errno` (`readdir`).
    ///
    /// - Parameters:
    ///   - call: the C function's name, for the error.
    ///   - path: the path it acts on, for the error.
    ///   - body: the call itself.
    /// - Returns: the call's result, `nil` at the end.
    /// - Throws: ``SystemCallError`` when `errno` was set.
    public static func runUntilEnd<Pointer>(_ call: String, _ path: String? = nil, _ body: () -> Pointer?) throws(SystemCallError) -> Pointer? {
        errno = 0
        if let result = body() { return result }
        let code = errno
        if code != 0 { throw SystemCallError(call: call, path: path, code: code) }
        return nil
    }

    /// Runs a call that returns `0` on success and an error number otherwise (the `posix_spawn` family).
    ///
    /// - Parameters:
    ///   - call: the call's name and argument, for the error.
    ///   - body: the call itself.
    /// - Throws: ``SystemCallError`` with the returned error number.
    public static func runReturningError(_ call: String, _ body: () -> Int32) throws(SystemCallError) {
        let code = body()
        if code != 0 { throw SystemCallError(call: call, path: nil, code: code) }
    }

    /// Writes all of `bytes` to `descriptor`, continuing after short writes and retrying on `EINTR`.
    ///
    /// - Parameters:
    ///   - path: the file written, for the error, when there is one.
    /// - Throws: ``SystemCallError`` with the failed `write`'s `errno`.
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], _ path: String? = nil) throws(SystemCallError) {
        var written = 0
        while written < bytes.count {
            written += try run("write", path) {
                bytes.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + written }, $0.count - written) }
            }
        }
    }

    /// Sends `signal` to a process (positive `target`) or a process group (negative `target`).
    ///
    /// - Returns: `false` when no such process or group exists (`ESRCH`), `true` when it was signalled.
    /// - Throws: ``SystemCallError`` for any other failure, such as `EPERM`.
    @discardableResult
    public static func signal(_ target: Int32, _ signal: Int32) throws(SystemCallError) -> Bool {
        do {
            try run("kill(\(target), \(signal))") { kill(target, signal) }
            return true
        } catch where error.code == ESRCH {
            return false
        }
    }
}
