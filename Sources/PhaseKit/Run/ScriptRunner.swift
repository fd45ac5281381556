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
        let heading = RunReport.Heading(target: absolute, site: options.site?.directory, mode: options.mode, startedAt: started)
        let report = RunReport.make(heading, steps: steps, warnings: (session?.warnings ?? []) + (session?.recorder.warnings ?? []), error: failure)
        return (report, session)
    }
}
