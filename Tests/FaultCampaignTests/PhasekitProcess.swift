import Foundation
import TestSupport

/// The built `phasekit` run without a terminal (standard input `/dev/null`), its standard output
/// and error in one text, as an operator's shell would show them.
enum PhasekitProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Result {
        var exit: Exit
        var output: String
    }

    /// Runs `phasekit ARGUMENTS` with `environment` added to the test's.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = BuiltPhasekit.url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outputPath = TestScratch.path("campaign-out").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)   // opening it below fails if it was not created
        defer { try? FileManager.default.removeItem(atPath: outputPath) }   // scratch file: its removal cannot matter
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }   // written by the child only; closing our copy cannot lose anything
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
        let exit: Exit = process.terminationReason == .uncaughtSignal ? .signal(process.terminationStatus) : .code(process.terminationStatus)
        return Result(exit: exit, output: text)
    }

    /// Runs `phasekit ARGUMENTS --json` and parses its document (nil when it is not JSON).
    static func json(_ arguments: [String]) throws -> (result: Result, document: [String: Any]?) {
        let result = try run(arguments + ["--json"])
        // Not JSON is a finding the checker reports; nil says so.
        let document = (try? JSONSerialization.jsonObject(with: Data(result.output.utf8))) as? [String: Any]
        return (result, document)
    }
}
