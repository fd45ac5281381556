import SystemCalls
internal import Foundation
internal import Glibc

/// Starts a command fully detached from phasekit, and reports its process id.
///
/// phasekit `posix_spawn`s `setsid -f /bin/sh -c WRAPPER`. `setsid -f` forks: its child calls
/// `setsid()` (a new session and process group whose id is its pid) and execs the wrapper, while
/// `setsid` itself exits at once and is reaped here. The service is thus a grandchild: it is
/// re-parented to init (or the nearest subreaper), outlives phasekit, and can never become
/// phasekit's zombie. The wrapper writes its own pid (`$$`) to a pipe on descriptor 3, closes it,
/// changes to the working directory and `exec`s the command, so the reported pid is the command's.
/// Standard input is `/dev/null`; standard output and error append to the service's log; every other
/// inherited descriptor is closed; the signal mask and dispositions are reset to the defaults.
struct DetachedSpawner {
    /// The shell wrapper; `$1` is the working directory, the rest the command.
    static let wrapper = #"echo "$$" >&3 && exec 3>&- && cd -- "$1" && shift && exec "$@""#

    /// The `setsid` program (util-linux).
    var setsidPath: String
    /// How long to wait for the wrapper to report its pid and for `setsid` to exit.
    var limit: Duration

    /// Finds `setsid` in the usual places.
    ///
    /// - Returns: its path, or `nil` when util-linux's `setsid` is not installed.
    static func locateSetsid() -> String? {
        ["/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Spawns `definition`'s command detached, its output appended to `logPath`.
    ///
    /// - Parameters:
    ///   - definition: the service.
    ///   - logPath: the log file, created when missing.
    /// - Returns: the command's process id (also its session and process group id), or `nil` when
    ///   the wrapper exited before reporting it.
    /// - Throws: ``SystemCallError`` when a system call fails.
    func spawn(_ definition: ProcessServiceDefinition, logPath: String) throws -> Int32? {
        // Both ends close on exec from the moment they exist: a service started at the same time on
        // another row's thread must not inherit this pipe's write end and hold it open for its whole
        // life (this read would never see the end of file). posix_spawn's dup2 onto descriptor 3
        // clears the flag in this child only.
        let pipe = try SystemCall.pipe(flags: O_CLOEXEC)
        let descriptors = [pipe.read, pipe.write]
        let reader = descriptors[0]
        var writer: Int32? = descriptors[1]
        defer {
            _ = close(reader)
            if let writer { _ = close(writer) }
        }
        let arguments = [setsidPath, "-f", "/bin/sh", "-c", Self.wrapper, "phasekit-service:\(definition.name)",
                         definition.workingDirectory ?? "."] + definition.command
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in definition.environment ?? [:] { environment[key] = value }
        let helper = try launch(arguments, environment: environment.map { "\($0.key)=\($0.value)" },
                                logPath: logPath, pidPipe: descriptors[1])
        if let open = writer { _ = close(open); writer = nil }
        let report = try readAll(reader)
        try reap(helper)
        return Int32(report.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `posix_spawn`s the helper with the descriptor layout and signal state described above.
    private func launch(_ arguments: [String], environment: [String], logPath: String, pidPipe: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        try SystemCall.runReturningError("posix_spawn_file_actions_init") { posix_spawn_file_actions_init(&actions) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        try SystemCall.runReturningError("posix_spawn_file_actions_addopen(/dev/null)") {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        try SystemCall.runReturningError("posix_spawn_file_actions_addopen(\(logPath))") {
            posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
        try SystemCall.runReturningError("posix_spawn_file_actions_adddup2(1, 2)") { posix_spawn_file_actions_adddup2(&actions, 1, 2) }
        try SystemCall.runReturningError("posix_spawn_file_actions_adddup2(pipe, 3)") {
            posix_spawn_file_actions_adddup2(&actions, pidPipe, 3)
        }
        for descriptor in Self.openDescriptors() where descriptor > 3 {
            try SystemCall.runReturningError("posix_spawn_file_actions_addclose(\(descriptor))") {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
        }
        var attributes = posix_spawnattr_t()
        try SystemCall.runReturningError("posix_spawnattr_init") { posix_spawnattr_init(&attributes) }
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        try SystemCall.runReturningError("posix_spawnattr_setsigmask") { posix_spawnattr_setsigmask(&attributes, &mask) }
        try SystemCall.runReturningError("posix_spawnattr_setsigdefault") { posix_spawnattr_setsigdefault(&attributes, &defaults) }
        try SystemCall.runReturningError("posix_spawnattr_setflags") {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        try SystemCall.runReturningError("posix_spawn(\(setsidPath))") {
            posix_spawn(&pid, setsidPath, &actions, &attributes, argv, envp)
        }
        return pid
    }

    /// Reads the pipe until end of file, waiting at most ``limit``.
    private func readAll(_ descriptor: Int32) throws -> String {
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while true {
            let remaining = max(0, Int32(((deadline - clock.now).seconds * 1000).rounded(.up)))
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = try SystemCall.run("poll(pid pipe)") { poll(&request, 1, remaining) }
            if ready == 0 { throw SystemCallError(call: "reading the service's pid from its wrapper", code: ETIMEDOUT) }
            let count = try buffer.withUnsafeMutableBytes { bytes in
                try SystemCall.run("read(pid pipe)") { read(descriptor, bytes.baseAddress, bytes.count) }
            }
            if count == 0 { break }
            collected.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Waits (bounded) for the `setsid` helper to exit and reaps it.
    private func reap(_ helper: pid_t) throws {
        var failure: (any Error)?
        let reaped = BoundedWait.until(limit: limit, interval: .milliseconds(5)) {
            var status: Int32 = 0
            do {
                return try SystemCall.run("waitpid(\(helper))") { waitpid(helper, &status, WNOHANG) } != 0
            } catch {
                // ECHILD: someone else reaped it already.
                if (error as? SystemCallError)?.code != ECHILD { failure = error }
                return true
            }
        }
        if let failure { throw failure }
        if !reaped {
            // Cleaning up a helper that overran: the timeout below is the error said either way.
            _ = try? SystemCall.signal(helper, SIGKILL)
            var status: Int32 = 0
            _ = try? SystemCall.run("waitpid(\(helper))") { waitpid(helper, &status, 0) }
            throw SystemCallError(call: "waiting for setsid to exit", code: ETIMEDOUT)
        }
    }

    /// The descriptors open in this process, from `/proc/self/fd`.
    private static func openDescriptors() -> [Int32] {
        // Without /proc no extra descriptor is closed: the service inherits them, which changes no
        // state phasekit reads.
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }
}
