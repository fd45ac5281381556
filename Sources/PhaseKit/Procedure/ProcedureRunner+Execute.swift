import Foundation
import LuaRuntime

extension ProcedureRunner {
    /// One pass of one step on one server in a fresh session of the given mode.
    func pass(_ step: StepDefinition, server: String?, mode: RunMode) -> (RunReport.Step, [String]) {
        var passOptions = options
        passOptions.mode = mode
        do {
            let session = try RunSession(options: passOptions)
            let report = session.runScript(path: step.path, id: step.id, title: step.title, section: step.section,
                                           server: server, intent: .execute)
            session.finish()
            return (report, session.lua.warnings + session.recorder.warnings)
        } catch {
            var report = skipped(step, server: server)
            report.state = .failed
            report.error = RunReport.ErrorDetail(error)
            return (report, [])
        }
    }

    func execute() -> RunReport {
        let started = Date()
        var steps: [RunReport.Step] = []
        var warnings: [String] = []
        var blocked = false
        var refused = false
        for step in procedure.enabledSteps {
            for server in servers(for: step) {
                if blocked || refused || steps.contains(where: { $0.state == .failed }) {
                    steps.append(skipped(step, server: server))
                    continue
                }
                onEvent(.stepStarted(step, server: server))
                let (plan, planWarnings) = pass(step, server: server, mode: .analyze)
                warnings += planWarnings
                var result: RunReport.Step
                if plan.state == .failed {
                    result = plan
                    blocked = plan.error?.kind == "precondition"
                } else if plan.changes.isEmpty && plan.issues.isEmpty {
                    result = plan
                    result.state = .done
                } else {
                    if !plan.changes.isEmpty { onEvent(.phasePlanned(plan)) }
                    if !plan.changes.isEmpty && !confirm(plan) {
                        refused = true
                        result = plan
                        result.state = .skipped
                    } else {
                        result = applyAndVerify(step, server: server, plan: plan, warnings: &warnings)
                        blocked = result.state == .issues
                    }
                }
                onEvent(.stepFinished(result))
                steps.append(result)
            }
        }
        return RunReport.make(target: procedure.name, site: options.site?.directory, mode: .execute, startedAt: started,
                              steps: steps, warnings: warnings, error: nil, blocked: blocked, refused: refused)
    }

    /// Applies a phase's plan, then analyzes it again: what remains is reported as the phase's issues.
    private func applyAndVerify(_ step: StepDefinition, server: String?, plan: RunReport.Step, warnings: inout [String]) -> RunReport.Step {
        var applied = plan
        if !plan.changes.isEmpty {
            let (execution, executionWarnings) = pass(step, server: server, mode: .execute)
            warnings += executionWarnings
            applied = execution
            if execution.state == .failed { return execution }
        }
        let (verify, verifyWarnings) = pass(step, server: server, mode: .analyze)
        warnings += verifyWarnings
        var result = applied
        result.log = applied.log
        if verify.state == .failed {
            result.state = .failed
            result.error = verify.error
        } else if !verify.changes.isEmpty || !verify.issues.isEmpty {
            result.state = .issues
            result.issues = verify.issues
            if !verify.changes.isEmpty {
                result.issues.append(Finding(
                    summary: "\(verify.changes.count) change(s) still planned after applying this phase",
                    detail: verify.changes.map(\.summary).joined(separator: "\n"), resolution: .manual,
                    location: nil, step: step.id, server: server))
            }
        } else {
            result.state = .done
            result.issues = []
        }
        return result
    }
}
