import Foundation
import TestSupport

/// A running `phasekit serve` (the built binary, spawned as from a shell: no signal blocked), its
/// address, and what it printed.
final class ServeProcess {
    let pid: pid_t
    let port: Int
    /// The URL it printed (with the one-time code when it has a token).
    let link: String
    private let outputFile: String
    private var stopped = false

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `phasekit serve --site SITE ARGUMENTS` and waits (up to 60 s) for its address.
    init(site: String, arguments: [String] = []) throws {
        let outputFile = TestScratch.path("serve-output", suffix: ".txt").path
        self.outputFile = outputFile
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let binary = BuiltPhasekit.path
        let argv = ([binary, "serve", "--site", site] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = CleanSpawn.withAttributes { posix_spawn(&pid, binary, &actions, &$0, argv, envp) }
        guard spawned == 0 else { throw Failure(description: "posix_spawn: \(spawned)") }
        self.pid = pid
        var text = ""
        _ = Wait.until(60) {
            text = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
            return text.contains("Stop with Ctrl-C") || kill(pid, 0) != 0
        }
        guard let url = Self.url(in: text), let port = URL(string: url)?.port else {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            throw Failure(description: "phasekit serve printed no URL: \(text)")
        }
        self.port = port
        link = text.components(separatedBy: "\n").first { $0.contains("?token=") }.flatMap(Self.url(in:)) ?? url
    }

    /// What the server printed so far.
    var output: String { (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "" }

    /// The first `http://` URL in `text`.
    static func url(in text: String) -> String? {
        guard let start = text.range(of: "http://") else { return nil }
        return String(text[start.lowerBound...].prefix { !$0.isWhitespace })
    }

    /// Resident memory of the server in KiB (VmRSS).
    var residentKiB: Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// GET (or another method) of `target` on this server.
    func get(_ target: String, method: String = "GET", headers: [String: String] = [:]) throws -> RawHTTP.Response {
        try RawHTTP.request(port: port, method: method, target: target, headers: headers)
    }

    /// Stops the server (SIGTERM; SIGKILL after 10 s) and reaps it.
    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        if !Wait.until(10, { waitpid(pid, &status, WNOHANG) == pid }) {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
    }

    deinit { stop() }
}

/// A sample site for the serve tests (`phasekit sample-site --no-services`), under the test scratch directory.
enum ServeSite {
    static func make() throws -> String {
        let directory = TestScratch.path("serve-site").path
        let result = try run(["sample-site", directory, "--no-services"])
        guard result.status == 0 else { throw ServeProcess.Failure(description: "sample-site failed: \(result.output)") }
        return directory
    }

    /// Runs the built phasekit to the end: status and output (standard output then error).
    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = BuiltPhasekit.url
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Kills what runs in the site (services an execution started) and removes it.
    static func dispose(_ site: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != getpid(),
                  let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd"),
                  cwd == site || cwd.hasPrefix(site + "/") else { continue }
            kill(pid, SIGKILL)
        }
        try? FileManager.default.removeItem(atPath: site)
    }
}
