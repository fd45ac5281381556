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
        if let site = options.site { CrashCleanup.sweep(site) }
        let rows = procedure.enabledSteps.flatMap { step in servers(for: step).map { (step, $0) } }
        progress.set(rows.filter { !completed.contains(Journal.key(step: $0.0.id, server: $0.1)) }.count)
        try? journal?.append(runStartedEntry(rows: rows))
        var warnings: [String] = []
        if procedure.confirmOnce {
            let plan = analyze()
            warnings += plan.warnings
            let pending = plan.steps.filter { !completed.contains(Journal.key(step: $0.id, server: $0.server)) }
            if plan.outcome == .error || plan.outcome == .blocked {
                return finish(RunReport.make(target: procedure.name, site: options.site?.directory, mode: .execute, startedAt: started,
                                             steps: plan.steps, warnings: warnings, error: plan.error, blocked: plan.outcome == .blocked))
            }
            if pending.contains(where: { !$0.changes.isEmpty }) {
                onEvent(.procedurePlanned(plan))
                if !confirm(RunReport.Step(id: procedure.name, title: procedure.title, section: nil, server: nil, state: .planned,
                                           script: nil, changes: pending.flatMap(\.changes), issues: [], log: [], error: nil)) {
                    return finish(RunReport.make(target: procedure.name, site: options.site?.directory, mode: .execute, startedAt: started,
                                                 steps: [], warnings: warnings, error: nil, refused: true))
                }
            }
        }
        var steps: [RunReport.Step] = []
        var blocked = false
        var refused = false
        for step in procedure.enabledSteps {
            let stepServers = servers(for: step)
            if blocked || refused || steps.contains(where: { $0.state == .failed }) {
                steps += stepServers.map { skipped(step, server: $0) }
                continue
            }
            let results = runRows(step, servers: stepServers, warnings: &warnings)
            blocked = results.contains { $0.state == .issues || $0.error?.kind == "precondition" }
            refused = results.contains { $0.state == .skipped && $0.log.last == ProcedureRunner.declinedMarker }
            steps += results
        }
        return finish(RunReport.make(target: procedure.name, site: options.site?.directory, mode: .execute, startedAt: started,
                                     steps: steps, warnings: warnings, error: nil, blocked: blocked, refused: refused))
    }

    static let declinedMarker = "(not confirmed: nothing applied)"

    /// Runs the rows of one step: concurrently across servers (at most `maximumConcurrentRows`)
    /// when the procedure confirms once, one after the other otherwise.
    func runRows(_ step: StepDefinition, servers: [String?], warnings: inout [String]) -> [RunReport.Step] {
        let lock = NSLock()
        var results = [RunReport.Step?](repeating: nil, count: servers.count)
        var collected: [String] = []
        let work: (Int) -> Void = { index in
            let server = servers[index]
            let key = Journal.key(step: step.id, server: server)
            var rowWarnings: [String] = []
            let result: RunReport.Step
            if completed.contains(key) {
                var done = skipped(step, server: server)
                done.state = .done
                done.log = ["(finished before the resume)"]
                result = done
            } else {
                lock.withLock { onEvent(.stepStarted(step, server: server)) }
                try? journal?.append(stepEntry(.stepStarted, step, server: server))
                result = runRow(step, server: server, warnings: &rowWarnings)
                var finished = stepEntry(.stepFinished, step, server: server, state: result.state.rawValue, message: result.error?.message)
                finished.applied = result.changes.filter { $0.status == .applied }.count
                try? journal?.append(finished)
                progress.finishOne()
                lock.withLock { onEvent(.stepFinished(result)) }
            }
            lock.withLock {
                results[index] = result
                collected += rowWarnings
            }
        }
        if procedure.confirmOnce && servers.count > 1 {
            // Each row has its own session, Lua state and world; shared results go through `lock`.
            let shared = RowWork(work)
            let slots = DispatchSemaphore(value: maximumConcurrentRows)
            let group = DispatchGroup()
            for index in servers.indices {
                slots.wait()
                group.enter()
                Thread.detachNewThread {
                    shared.body(index)
                    slots.signal()
                    group.leave()
                }
            }
            group.wait()
        } else {
            for index in servers.indices { work(index) }
        }
        warnings += collected
        return results.compactMap { $0 }
    }

    /// One row: plan it, confirm (per phase), apply, and analyze again.
    func runRow(_ step: StepDefinition, server: String?, warnings: inout [String]) -> RunReport.Step {
        let (plan, planWarnings) = pass(step, server: server, mode: .analyze)
        warnings += planWarnings
        if plan.state == .failed || plan.state == .skipped { return plan }
        if plan.changes.isEmpty && plan.issues.isEmpty {
            var done = plan
            done.state = .done
            return done
        }
        if !plan.changes.isEmpty && !procedure.confirmOnce {
            onEvent(.phasePlanned(plan))
            if !confirm(plan) {
                var declined = plan
                declined.state = .skipped
                declined.log.append(Self.declinedMarker)
                return declined
            }
        }
        return applyAndVerify(step, server: server, plan: plan, warnings: &warnings)
    }

    /// Applies a phase's plan, then analyzes it again: what remains is reported as the phase's issues.
    func applyAndVerify(_ step: StepDefinition, server: String?, plan: RunReport.Step, warnings: inout [String]) -> RunReport.Step {
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

    private func finish(_ report: RunReport) -> RunReport {
        var entry = Journal.Entry(event: .runFinished)
        entry.state = report.outcome.rawValue
        try? journal?.append(entry)
        return report
    }

    private func runStartedEntry(rows: [(StepDefinition, String?)]) -> Journal.Entry {
        var entry = Journal.Entry(event: .runStarted)
        entry.procedure = procedure.name
        entry.mode = .execute
        entry.rows = rows.map { Journal.key(step: $0.0.id, server: $0.1) }
        entry.rowTitles = rows.map(\.0.title)
        entry.pid = getpid()
        entry.host = ProcessInfo.processInfo.hostName
        return entry
    }

    private func stepEntry(_ event: Journal.Entry.Event, _ step: StepDefinition, server: String?, state: String? = nil, message: String? = nil) -> Journal.Entry {
        var entry = Journal.Entry(event: event)
        entry.step = step.id
        entry.server = server
        entry.title = step.title
        entry.state = state
        entry.message = message
        entry.scriptSHA256 = RunSession.identity(of: step.path)?.sha256
        return entry
    }
}

/// Hands a row's work to worker threads; the work synchronizes what it shares itself.
private final class RowWork: @unchecked Sendable {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}
