import ArgumentParser
import Foundation
import PhaseKit

/// A command that can print its result as JSON (`--json`), and so its failures too.
protocol JSONReporting {
    /// Whether `--json` was given.
    var wantsJSON: Bool { get }
    /// What the error report names as its target: the procedure or script, or the command.
    var reportTarget: String { get }
    /// The mode the command ran in.
    var reportMode: RunMode { get }
    /// The `--site` given, if any.
    var reportSite: String? { get }
}

extension JSONReporting {
    var reportMode: RunMode { .analyze }
}

/// The one place where a command's failure becomes a message and an exit code.
///
/// Engine errors (``PhaseKitError``, a missing file, an unwritable site) print `phasekit: MESSAGE`
/// on standard error and exit 1, unmet preconditions exit 3, refusals exit 4; under `--json` the same failure is a report on
/// standard output (outcome `error` or `refused`, with its `error` object), so tools reading the
/// output always get JSON. Usage errors stay with the argument parser (usage banner, exit 64).
enum Failure {
    static func exit(_ error: any Error, command: any ParsableCommand) -> Never {
        // The argument parser's own errors (exit codes, help, usage) stay its business.
        if error is ExitCode || error is CleanExit || error is ValidationError || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            PhaseKitCommand.exit(withError: error)
        }
        let refused: Bool = if case PhaseKitError.refused = error { true } else { false }
        let reporting = command as? any JSONReporting
        let heading = RunReport.Heading(target: reporting?.reportTarget ?? "",
                                        site: reporting?.reportSite.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                                        mode: reporting?.reportMode ?? .analyze, startedAt: Date())
        let report = RunReport.make(heading, steps: [], error: RunReport.ErrorDetail(error), refused: refused)
        if let reporting, reporting.wantsJSON {
            Output.report(report, json: true)
            PhaseKitCommand.exit(withError: ExitCode(report.exitCode))
        }
        Output.note("phasekit: \(message(of: error))")
        // Refused: 4; an unmet precondition (a host lost before anything was changed): 3; any other failure: 1.
        PhaseKitCommand.exit(withError: ExitCode(report.exitCode))
    }

    /// The operator-facing text of an error.
    static func message(of error: any Error) -> String {
        if let engine = error as? PhaseKitError { return engine.description }
        if let cocoa = error as? CocoaError, let path = cocoa.filePath {
            let reason = (cocoa.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) } ?? cocoa.localizedDescription
            return "\(path): \(reason)"
        }
        return String(describing: error)
    }
}
