import Foundation
import SystemCalls

/// The process that carries a connection (`ssh`, or an agent on a local pipe): `posix_spawn`ed
/// with three pipes and reaped by its own pid, never through Foundation's `Process` (whose child
/// monitoring is shared with every other command the controller runs).
struct CarrierProcess: Sendable {
    let pid: pid_t
    /// To the agent (its standard input), from it (its standard output), and its standard error.
    let toAgent: Int32
    let fromAgent: Int32
    let errors: Int32

    /// Starts `arguments` (the program is looked up on `PATH` by `/usr/bin/env`).
    static func start(_ arguments: [String]) throws -> CarrierProcess {
        var pipes: [[Int32]] = []
        for _ in 0..<3 {
            let pair: [Int32]
            do {
                // Close on exec from the start: no other child the controller starts at the same
                // time (the servers connect concurrently) keeps a connection open, so a lost agent
                // is seen as the end of its pipe.
                let pipe = try SystemCall.pipe(flags: O_CLOEXEC)
                pair = [pipe.read, pipe.write]
            } catch {
                throw RemoteError.unreachable("pipe: \(error.reason)")
            }
            pipes.append(pair)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // A session of its own: the terminal's Ctrl-C (SIGINT to its foreground process group)
        // and its hangup reach phasekit, which decides (a run that cannot be stopped defers
        // them), never the connection underneath it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetSID))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, environ)
        close(pipes[0][0])
        close(pipes[1][1])
        close(pipes[2][1])
        guard status == 0 else {
            for descriptor in [pipes[0][1], pipes[1][0], pipes[2][0]] { close(descriptor) }
            throw RemoteError.unreachable("cannot start \(arguments.first ?? "ssh"): \(String(cString: strerror(status)))")
        }
        // A write to an agent that is gone must fail with EPIPE, not end the controller.
        signal(SIGPIPE, SIG_IGN)
        return CarrierProcess(pid: pid, toAgent: pipes[0][1], fromAgent: pipes[1][0], errors: pipes[2][0])
    }

    /// glibc's `POSIX_SPAWN_SETSID` (since 2.26), which Swift's Glibc module does not export:
    /// the child calls `setsid()` before it runs the program.
    static let spawnSetSID: Int32 = 0x80

    /// Closes the agent's input, waits (briefly) for its end of output, then ends and reaps it.
    func stop(readUntilEnd: (Int32, ContinuousClock.Instant) -> [UInt8]) {
        close(toAgent)
        _ = readUntilEnd(fromAgent, .now + .seconds(2))
        var status: Int32 = 0
        // Our own child, reaped only here: waitpid cannot fail but for an interruption, which
        // SystemCall retries, and SIGTERM to it cannot fail but when it is gone already.
        if (try? SystemCall.run("waitpid") { waitpid(pid, &status, WNOHANG) }) == 0 {
            _ = try? SystemCall.signal(pid, SIGTERM)
            _ = try? SystemCall.run("waitpid") { waitpid(pid, &status, 0) }
        }
        close(fromAgent)
        close(errors)
    }
}
