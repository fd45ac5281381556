import Foundation
import Synchronization
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
    /// Whether its answers' pipe was enlarged (``enlargeAnswerPipe(_:)``).
    let enlarged: Bool

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
        let enlarged = enlargeAnswerPipe(pipes[1][0])
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
            if enlarged { enlargedPipes.subtract(1, ordering: .relaxed) }
            for descriptor in [pipes[0][1], pipes[1][0], pipes[2][0]] { close(descriptor) }
            throw RemoteError.unreachable("cannot start \(arguments.first ?? "ssh"): \(String(cString: strerror(status)))")
        }
        // A write to an agent that is gone must fail with EPIPE, not end the controller.
        signal(SIGPIPE, SIG_IGN)
        return CarrierProcess(pid: pid, toAgent: pipes[0][1], fromAgent: pipes[1][0], errors: pipes[2][0], enlarged: enlarged)
    }

    /// How much the pipe of the agent's answers holds (the kernel's default is 64 KiB): 1 MiB, what
    /// `/proc/sys/fs/pipe-max-size` lets any process ask for by default.
    static let answerPipeBytes: Int32 = 1 << 20
    /// At most this many carriers' answer pipes are enlarged at once: 32 MiB, half of what
    /// `/proc/sys/fs/pipe-user-pages-soft` gives an unprivileged user's pipes by default (past it,
    /// the kernel makes that user's new pipes a single page).
    static let enlargedPipesAtMost = 32
    private static let enlargedPipes = Atomic<Int>(0)

    /// Makes the pipe of the agent's answers hold ``answerPipeBytes``: a host goes on sending a
    /// large answer (a directory's contents read ahead) while the controller is busy with another
    /// host, and the answer is there when it is taken instead of still on its way. Past
    /// ``enlargedPipesAtMost``, or where a lower limit refuses it, the pipe keeps the kernel's
    /// size: slower, never wrong.
    ///
    /// - Returns: whether it was enlarged (``stop(readUntilEnd:)`` then counts it back).
    private static func enlargeAnswerPipe(_ descriptor: Int32) -> Bool {
        guard enlargedPipes.add(1, ordering: .relaxed).newValue <= enlargedPipesAtMost else {
            enlargedPipes.subtract(1, ordering: .relaxed)
            return false
        }
        do {
            try SystemCall.setPipeSize(descriptor, bytes: answerPipeBytes)
            return true
        } catch {
            // A lower pipe-max-size, or the user's pipes at their soft limit: the kernel's size.
            enlargedPipes.subtract(1, ordering: .relaxed)
            return false
        }
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
        if enlarged { Self.enlargedPipes.subtract(1, ordering: .relaxed) }
    }
}
