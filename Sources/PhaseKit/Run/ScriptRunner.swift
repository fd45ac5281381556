public import Foundation
import LuaRuntime

/// Runs one Lua file as a whole run (`phasekit run path/to/script.lua`).
public enum ScriptRunner {
    /// Runs the script under `options` and reports what it did or planned.
    public static func run(path: String, options: RunOptions, registry: BindingRegistry = .standard) -> RunReport {
        let (report, session) = runKeepingSession(path: path, options: options, registry: registry)
        session?.finish()
        return report
    }

    /// Runs the script and returns its report with the session still open (its database
    /// transaction too); the caller finishes the session.
    static func runKeepingSession(path: String, options: RunOptions, registry: BindingRegistry) -> (RunReport, RunSession?) {
        let started = Date()
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let name = URL(fileURLWithPath: absolute).deletingPathExtension().lastPathComponent
        var steps: [RunReport.Step] = []
        var failure: RunReport.ErrorDetail?
        var session: RunSession?
        do {
            session = try RunSession(options: options, registry: registry)
            if let session { steps.append(session.runScript(path: absolute, id: name, title: name)) }
        } catch {
            failure = RunReport.ErrorDetail(error)
        }
        let report = RunReport.make(target: absolute, site: options.site?.directory, mode: options.mode,
                                    startedAt: started, steps: steps, warnings: (session?.warnings ?? []) + (session?.recorder.warnings ?? []), error: failure)
        return (report, session)
    }
}

extension RunReport {
    /// Builds a report and derives its outcome from the steps.
    public static func make(
        target: String, site: String?, mode: RunMode, startedAt: Date, steps: [Step],
        warnings: [String], error: ErrorDetail?, blocked: Bool = false, refused: Bool = false, notConfirmed: Bool = false
    ) -> RunReport {
        let stepError = steps.compactMap(\.error).first
        let outcome: Outcome
        if notConfirmed && error == nil && stepError == nil {
            outcome = .notConfirmed
        } else if refused || (error == nil && stepError?.kind == .refused) {
            outcome = .refused
        } else if error == nil, stepError?.kind == .precondition {
            outcome = .blocked
        } else if error != nil || stepError != nil {
            outcome = .error
        } else if blocked {
            outcome = .blocked
        } else if mode == .analyze {
            outcome = steps.contains { $0.plansChanges || !$0.issues.isEmpty } ? .changes : .clean
        } else {
            outcome = steps.contains { $0.issues.contains { $0.resolution == .manual } } ? .blocked : .applied
        }
        return RunReport(
            target: target, site: site, mode: mode, startedAt: startedAt, finishedAt: Date(),
            outcome: outcome, exitCode: outcome.exitCode, steps: steps, warnings: warnings, error: error ?? stepError
        )
    }
}
