import Foundation

/// Runs the built `phasekit` binary as an operator would, timing it.
enum PhasekitBinary {
    /// The limits every hostile run gets on the command line.
    static let limitArguments = ["--time-limit", "3", "--memory-limit", "128"]
    /// The time limit those arguments set.
    static let timeLimit = 3.0
    /// The grace docs/runtime.md states: every run ends within its time limit plus this.
    static let grace = 2.0

    struct Outcome: CustomStringConvertible {
        var status: Int32
        /// Whether the process exited (rather than being killed by a signal: a crash).
        var exited: Bool
        var seconds: Double
        var output: String
        var error: String

        var description: String {
            "exit \(status)\(exited ? "" : " (signal)") after \(String(format: "%.2f", seconds)) s\nstdout: \(output.suffix(600))\nstderr: \(error.suffix(600))"
        }

        /// Ended by a limit the way the tool reports it: exit 1, no crash, within the limit and its grace.
        var endedCleanlyWithinTheLimit: Bool {
            exited && status == 1 && seconds <= PhasekitBinary.timeLimit + PhasekitBinary.grace && !crashed
        }

        /// A Swift runtime trap or a crash dump.
        var crashed: Bool {
            (output + error).contains("Fatal error") || (output + error).contains("Crash")
        }

        var said: String { output + error }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary built next to the test bundle (or in the package's debug build directory).
    static var binary: URL {
        let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("phasekit")
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return repository.appendingPathComponent(".build/debug/phasekit")
    }

    /// Runs the binary with `arguments`; a run still going after 30 s is killed (and so fails every expectation).
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: killer)
        // Read both pipes while the process runs, so a full pipe cannot stall it.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        DispatchQueue.global().async(group: group) { errorData = error.fileHandleForReading.readDataToEndOfFile() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - started
        killer.cancel()
        return Outcome(
            status: process.terminationStatus, exited: process.terminationReason == .exit,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            output: String(decoding: outputData, as: UTF8.self), error: String(decoding: errorData, as: UTF8.self)
        )
    }
}
