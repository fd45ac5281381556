internal import CSystemCalls

extension SystemCall {
    /// A pipe whose ends get `flags` (`O_CLOEXEC`, `O_NONBLOCK`) atomically (pipe2): with `pipe` and
    /// a later `fcntl`, a child that another thread spawns in between inherits both ends, and a
    /// reader waiting for the end of file then waits for that child's whole life.
    ///
    /// - Returns: the read end and the write end.
    /// - Throws: ``SystemCallError`` with the call's `errno`.
    public static func pipe(flags: Int32) throws(SystemCallError) -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        try run("pipe2") { csys_pipe2(&descriptors, flags) }
        return (descriptors[0], descriptors[1])
    }

    /// Makes the pipe of `descriptor` hold `bytes` (rounded up to whole pages; at most
    /// `/proc/sys/fs/pipe-max-size` without CAP_SYS_RESOURCE); returns the size it now holds.
    @discardableResult
    public static func setPipeSize(_ descriptor: Int32, bytes: Int32) throws(SystemCallError) -> Int32 {
        try run("fcntl(F_SETPIPE_SZ)") { csys_set_pipe_size(descriptor, bytes) }
    }
}
