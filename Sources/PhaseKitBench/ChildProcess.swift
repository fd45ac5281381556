import Foundation
import SystemCalls

/// What one child process cost: wall-clock time and peak resident memory.
struct ChildUsage {
    var nanoseconds: Double
    /// Peak RSS in bytes, from `wait4`'s `ru_maxrss`.
    var peakResidentBytes: Int
    var status: Int32
}

/// Runs a program to completion with posix_spawn, its output sent to /dev/null and its input read
/// from `stdinPath` (or /dev/null), and measures it with `wait4`.
func runChild(_ arguments: [String], stdinPath: String? = nil) throws -> ChildUsage {
    guard let program = arguments.first else { throw BenchError("no program to run") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = monotonicNanoseconds()
    let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
    guard spawned == 0 else { throw BenchError("cannot start \(program): \(String(cString: strerror(spawned)))") }
    let (exitStatus, usage) = try reap(pid, program: program)
    let elapsed = Double(monotonicNanoseconds() - start)
    return ChildUsage(nanoseconds: elapsed, peakResidentBytes: usage.ru_maxrss * 1024, status: exitStatus)
}

/// The directory holding the running benchmark binary (`.build/release`), where `phasekit` is too.
func releaseDirectory() -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
}
