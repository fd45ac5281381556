import Foundation
import SystemCalls

/// What one finished child process cost, with its descendants that it waited for.
struct ProcessCost {
    var nanoseconds: Double
    /// User plus system CPU of the child and its reaped descendants (`wait4`'s rusage), nanoseconds.
    var cpuNanoseconds: Double
    /// The largest peak RSS of the child or one of its reaped descendants, bytes.
    var peakResidentBytes: Int
    /// The exit status, or 128 + the signal.
    var status: Int32
}

/// A child started with posix_spawn: its output to files, its environment given, waited with
/// `wait4` so that its CPU time and peak memory are known. The peer benchmarks (row 8) run the
/// tools through it; unlike `runChild` it can be waited for later (the host-loss measurement
/// kills a host while the tool runs).
struct SpawnedProcess {
    let pid: pid_t
    let started: UInt64
    let program: String

    /// Starts `arguments` with `environment` added to this process's, standard input read from
    /// `inputPath` (or /dev/null) and standard output and error appended to `outputPath` (or /dev/null).
    init(_ arguments: [String], environment: [String: String] = [:], inputPath: String? = nil, outputPath: String? = nil) throws {
        guard let program = arguments.first else { throw BenchError("no program to run") }
        self.program = program
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let start = monotonicNanoseconds()
        // posix_spawnp: the tools of the venv are given by path, system tools by name.
        let spawned = posix_spawnp(&pid, program, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchError("cannot start \(program): \(String(cString: strerror(spawned)))") }
        self.pid = pid
        self.started = start
    }

    /// Waits for the child and measures it.
    func wait() throws -> ProcessCost {
        let (exitStatus, usage) = try reap(pid, program: program)
        let elapsed = Double(monotonicNanoseconds() - started)
        func ns(_ time: timeval) -> Double { Double(time.tv_sec) * 1e9 + Double(time.tv_usec) * 1e3 }
        return ProcessCost(nanoseconds: elapsed, cpuNanoseconds: ns(usage.ru_utime) + ns(usage.ru_stime),
                           peakResidentBytes: usage.ru_maxrss * 1024, status: exitStatus)
    }

    /// Runs to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:], outputPath: String? = nil) throws -> ProcessCost {
        try SpawnedProcess(arguments, environment: environment, outputPath: outputPath).wait()
    }
}

/// Waits for child `pid` and returns its exit status as a shell gives it (128 + N when killed by
/// signal N) and its resource usage.
func reap(_ pid: pid_t, program: String) throws -> (status: Int32, usage: rusage) {
    var status: Int32 = 0
    var usage = rusage()
    do {
        try SystemCall.run("wait4") { wait4(pid, &status, 0, &usage) }
    } catch {
        throw BenchError("wait4 failed for \(program): \(error.reason)")
    }
    return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), usage)
}

/// Reads a whole text file; a file that cannot be read is an error naming it.
func readText(_ path: String) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw BenchError("cannot read \(path): \(error.localizedDescription)")
    }
}
