internal import Glibc

/// The single chokepoint through which this module makes every C call that can fail.
///
/// Each helper turns the C error convention (`-1` plus `errno`, or a returned error number) into a
/// thrown ``SystemCallError`` naming the call, so no call site reads `errno` itself.
enum SystemCall {
    /// Runs a call that returns `-1` and sets `errno` on failure, retrying on `EINTR`.
    ///
    /// - Parameters:
    ///   - call: the call's name and argument, for the error message.
    ///   - body: the call itself.
    /// - Returns: the call's non-error result.
    /// - Throws: ``SystemCallError`` with the `errno` the call left.
    @discardableResult
    static func check<Result: BinaryInteger>(_ call: @autoclosure () -> String, _ body: () -> Result) throws -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(call: call(), code: code)
        }
    }

    /// Runs a call that returns `0` on success and an error number otherwise (the `posix_spawn` family).
    ///
    /// - Parameters:
    ///   - call: the call's name and argument, for the error message.
    ///   - body: the call itself.
    /// - Throws: ``SystemCallError`` with the returned error number.
    static func checkReturned(_ call: @autoclosure () -> String, _ body: () -> Int32) throws {
        let code = body()
        if code != 0 { throw SystemCallError(call: call(), code: code) }
    }

    /// Sends `signal` to a process (positive `target`) or a process group (negative `target`).
    ///
    /// - Returns: `false` when no such process or group exists (`ESRCH`), `true` when it was signalled.
    /// - Throws: ``SystemCallError`` for any other failure, such as `EPERM`.
    @discardableResult
    static func signal(_ target: pid_t, _ signal: Int32) throws -> Bool {
        do {
            try check("kill(\(target), \(signal))") { kill(target, signal) }
            return true
        } catch let error as SystemCallError where error.code == ESRCH {
            return false
        }
    }
}
