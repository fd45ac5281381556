import Foundation
import Synchronization
import TestSupport

/// Runs the built `phasekit` binary as a child process and measures it: exit status, wall time
/// and peak resident memory (VmHWM), for the tests that attack the run limits on the real binary.
struct LimitedChild {
    /// The run's memory limit in the attack tests, in MiB (`--memory-limit`).
    static let memoryLimitMiB = 128
    /// The run's time limit in the attack tests, in seconds (`--time-limit`).
    static let timeLimitSeconds = 3
    /// What the process may hold beyond the memory limit: the Swift runtime, Foundation, the
    /// libraries and the binary itself (about 40 MiB at rest), plus transient copies a binding
    /// makes while it checks a value against the limit.
    static let overheadMiB = 64
    /// The grace past the time limit that docs/runtime.md states: every run ends within its time
    /// limit plus this.
    static let statedGraceSeconds = 2.0
    /// The stated grace, plus process start-up and the memory sampling around it.
    static let graceSeconds = 2.5

    struct Outcome {
        /// The exit status, or 128 + the signal that ended the child.
        var status: Int32
        var signaled: Bool
        var seconds: Double
        var peakRSSKiB: Int
        var output: String
        var error: String

        /// Everything the child printed.
        var text: String { output + error }

        /// A Swift runtime trap or a crash dump.
        var crashed: Bool { text.contains("Fatal error") || text.contains("Crash") }

        /// Ended by a limit the way the tool reports it: exit 1, no signal and no crash, within
        /// the time limit and its stated grace.
        var endedCleanlyWithinTheLimit: Bool {
            !signaled && status == 1 && !crashed
                && seconds <= Double(LimitedChild.timeLimitSeconds) + LimitedChild.statedGraceSeconds
        }
    }

    static var repository: URL { BuiltPhasekit.repository }
    /// The binary built with the tests (``BuiltPhasekit``).
    static var binary: String { BuiltPhasekit.path }

    /// The child while it runs.
    struct Running {
        let pid: pid_t
        let scratch: String
        /// What it wrote to standard error so far.
        var errorSoFar: String { (try? String(contentsOfFile: scratch + "/err", encoding: .utf8)) ?? "" }
    }

    /// Runs `phasekit ARGUMENTS` to its end. `input` is its standard input (empty when nil), or
    /// `terminal` (a pseudo-terminal device) is; `whileRunning` gets the running child and
    /// returns once it has done what it needed (such as sending a signal); the child is killed
    /// if it outlives `killAfter` seconds.
    /// `environment` is added to this process's environment for the child.
    static func run(_ arguments: [String], input: String? = nil, terminal: String? = nil, killAfter: Double = 60,
                    environment: [String: String] = [:],
                    whileRunning: ((Running) throws -> Void)? = nil) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-child-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: scratch + "/in"))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, terminal ?? scratch + "/in", terminal == nil ? O_RDONLY : O_RDWR, 0)
        posix_spawn_file_actions_addopen(&actions, 1, scratch + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, scratch + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = Date()
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        // The child starts as from a shell: no signal blocked or ignored (test threads block some).
        let spawned = CleanSpawn.withAttributes { posix_spawn(&pid, binary, &actions, &$0, argv, envp) }
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }

        // A watchdog for a test that would otherwise hang: kills the child past `killAfter`.
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { [pid] in
            if done.wait(timeout: .now() + killAfter) == .timedOut { kill(pid, SIGKILL) }
        }
        // Peak memory: VmHWM of /proc/PID/status, a high-water mark, read every 5 ms until the
        // child exits (wait4's ru_maxrss would also count this test process's image, which the
        // child had before it executed phasekit). Only growth in its last 5 ms could be missed.
        let peak = PeakSampler(pid: pid)
        let sampling = Thread { peak.run() }
        sampling.start()
        var thrown: (any Error)?
        do { try whileRunning?(Running(pid: pid, scratch: scratch)) } catch { thrown = error }

        var status: Int32 = 0
        var usage = rusage()
        var exited = siginfo_t()
        while waitid(P_PID, id_t(pid), &exited, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        peak.stop()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        done.signal()
        let seconds = Date().timeIntervalSince(started)
        if let thrown { throw thrown }
        let signaled = status & 0x7f != 0
        let code = signaled ? 128 + (status & 0x7f) : (status >> 8) & 0xff
        let output = (try? String(contentsOfFile: scratch + "/out", encoding: .utf8)) ?? ""
        let error = (try? String(contentsOfFile: scratch + "/err", encoding: .utf8)) ?? ""
        return Outcome(status: code, signaled: signaled, seconds: seconds, peakRSSKiB: peak.kibibytes,
                       output: output, error: error)
    }

    /// The limit flags of every attack.
    static var limitFlags: [String] {
        ["--time-limit", String(timeLimitSeconds), "--memory-limit", String(memoryLimitMiB)]
    }
}

/// Samples a process's peak resident memory (VmHWM) until stopped.
final class PeakSampler: Sendable {
    private let path: String
    private let peak = Mutex(0)
    private let stopped = Mutex(false)

    init(pid: pid_t) { path = "/proc/\(pid)/status" }

    /// The highest VmHWM read, in KiB.
    var kibibytes: Int { peak.withLock { $0 } }

    func run() {
        while !stopped.withLock({ $0 }) {
            sample()
            usleep(5_000)
        }
    }

    /// Takes a last sample (the child has exited but is not reaped: its status may still be
    /// readable) and ends the sampling.
    func stop() {
        sample()
        stopped.withLock { $0 = true }
    }

    private func sample() {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let value = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return }
        peak.withLock { $0 = max($0, value) }
    }
}

extension LimitedChild.Outcome: CustomStringConvertible {
    var description: String {
        "exit \(status)\(signaled ? " (signal)" : "") after \(String(format: "%.2f", seconds)) s\nstdout: \(output.suffix(600))\nstderr: \(error.suffix(600))"
    }
}
