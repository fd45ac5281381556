import Foundation
import Synchronization
import SystemCalls

/// Runs host commands as real child processes through Foundation's `Process`.
public struct ProcessCommandRunner: CommandRunner {
    /// Extra environment variables for every command, on top of this process's environment.
    public var environment: [String: String]

    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ arguments: [String], timeout: Duration) throws -> CommandOutput {
        guard let program = arguments.first else {
            throw CommandError(arguments: arguments, reason: "empty command line")
        }
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
        } else {
            guard let found = Self.locate(program) else {
                throw CommandError(arguments: arguments, reason: "command not found on PATH")
            }
            process.executableURL = found
        }
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw CommandError(arguments: arguments, reason: "could not start: \(error.localizedDescription)")
        }
        // Read both pipes concurrently so a chatty command cannot fill one and block.
        let collected = OutputCollector()
        let group = DispatchGroup()
        for (index, pipe) in [stdout, stderr].enumerated() {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.store(data, at: index)
                group.leave()
            }
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        if group.wait(timeout: .now() + seconds) == .timedOut {
            process.terminate()
            // Our own child: gone already answers false, and EPERM cannot happen; SIGTERM was sent
            // before in any case, so a failure here changes nothing the wait below relies on.
            _ = try? SystemCall.signal(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw CommandError(arguments: arguments, reason: "timed out after \(timeout)")
        }
        process.waitUntilExit()
        var status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal { status += 128 }
        return CommandOutput(
            status: status,
            standardOutput: String(decoding: collected.data(at: 0), as: UTF8.self),
            standardError: String(decoding: collected.data(at: 1), as: UTF8.self)
        )
    }

    /// Finds an executable on `PATH`, also looking in the sbin directories where LVM2 and Pacemaker live.
    static func locate(_ program: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        for directory in directories {
            let candidate = directory + "/" + program
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return URL(fileURLWithPath: candidate)
            }
        }
        return nil
    }
}

/// Thread-safe holder for the two output streams of a child process.
private final class OutputCollector: Sendable {
    private let streams = Mutex([Data(), Data()])

    func store(_ data: Data, at index: Int) {
        streams.withLock { $0[index] = data }
    }

    func data(at index: Int) -> Data {
        streams.withLock { $0[index] }
    }
}
