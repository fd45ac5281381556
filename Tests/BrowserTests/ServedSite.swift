import Foundation
import TestSupport
import Testing

/// A sample site (`phasekit sample-site DIR --no-services`: its configuration has a pending change)
/// served by `phasekit serve` on a free 127.0.0.1 port, and the built binary's other commands run
/// on it. ``dispose()`` stops the server, every process of the site (its services, a run left
/// behind) and removes it.
final class ServedSite: @unchecked Sendable {
    let directory: String
    let port: Int
    private var server: Process?

    var url: String { "http://127.0.0.1:\(port)/" }

    /// Writes the sample site; `customize` may add site steps before the server starts.
    init(customize: (String) throws -> Void = { _ in }) throws {
        directory = TestScratch.path("browser-site").path
        port = try SSHHosts.freePort()
        let written = try Self.phasekit(["sample-site", directory, "--no-services"])
        guard written.status == 0 else { throw WebDriver.Failure(error: "setup", message: "sample-site: \(written.output)") }
        try customize(directory)
    }

    /// Starts `phasekit serve` (with `extra` arguments) and waits until it accepts connections.
    func serve(_ extra: [String] = []) throws {
        let process = Process()
        process.executableURL = BuiltPhasekit.url
        process.arguments = ["serve", "--site", directory, "--listen", "127.0.0.1:\(port)"] + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        server = process
        guard Wait.until(30, { SSHHosts.accepts(port: port) }) else {
            throw WebDriver.Failure(error: "setup", message: "phasekit serve did not listen on 127.0.0.1:\(port) within 30 s")
        }
    }

    /// Starts `phasekit ARGUMENTS --site DIR` without waiting for it (its output discarded).
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = BuiltPhasekit.url
        process.arguments = arguments + ["--site", directory]
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs the built binary to its end: exit status and output (standard output, then error).
    @discardableResult
    static func phasekit(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = BuiltPhasekit.url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-browser-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer {
            // Cleanup: the output file is the test's own temporary file.
            try? FileManager.default.removeItem(at: output)
        }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: output), as: UTF8.self))
    }

    /// Writes a site step (Lua) under the site's `scripts/`.
    func write(step text: String, to relative: String) throws {
        try Self.write(step: text, to: directory + "/scripts/" + relative)
    }

    static func write(step text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Kills the server (SIGKILL), as a crash of `serve` would end it.
    func killServer() {
        guard let server, server.isRunning else { return }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
    }

    /// Stops the server and every process working in the site, then removes the site.
    func dispose() {
        // SIGKILL, not SIGTERM: a child of the test process inherits the signals it ignores.
        if let server, server.isRunning {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        // Cleanup: /proc lists the processes; one that cannot be listed has nothing to stop.
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            // A process gone meanwhile has no working directory to read: nothing to stop.
            guard let pid = Int32(entry), pid != getpid(),
                  let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd"),
                  cwd == directory || cwd.hasPrefix(directory + "/") else { continue }
            kill(pid, SIGKILL)
        }
        // Cleanup: the test scratch directory is removed at exit whatever remains here.
        try? FileManager.default.removeItem(atPath: directory)
    }
}
