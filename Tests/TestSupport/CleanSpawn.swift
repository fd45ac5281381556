public import Foundation

/// Spawn attributes for a child that starts as from a shell: no signal blocked, every signal's
/// action the default (test threads block and ignore some, and a child would inherit that).
/// The one place the test targets set this up, whatever they launch (phasekit, tmux).
public enum CleanSpawn {
    /// Calls `body` with attributes that unblock every signal and reset every action to default.
    public static func withAttributes<Result>(_ body: (inout posix_spawnattr_t) throws -> Result) rethrows -> Result {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return try body(&attributes)
    }

    /// What a finished child left: its wait status, standard output and standard error.
    public struct Finished: Sendable {
        /// The raw wait status (0: exited with 0).
        public var status: Int32
        public var output: String
        public var errors: String
    }

    /// Runs `executable ARGUMENTS` to its end with `environment` (the test's when nil), standard
    /// input /dev/null, its output and errors kept in scratch files (a pipe would wait for every
    /// process that inherits it, a server it starts too), and waits for it with `waitpid` (a
    /// child that Foundation's `Process` did not see end kept a test waiting for good).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Finished {
        let outputPath = TestScratch.path("spawn-out").path, errorPath = TestScratch.path("spawn-err").path
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)   // scratch files: their removal cannot matter
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = withAttributes { posix_spawnp(&pid, executable, &actions, &$0, argv, envp) }
        guard spawned == 0 else { throw SpawnFailure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
        let errors = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        return Finished(status: status, output: output, errors: errors)
    }

    /// A child that could not be started.
    public struct SpawnFailure: Error, CustomStringConvertible {
        public let description: String
    }
}
