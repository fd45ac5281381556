import Foundation
import LuaRuntime
import Synchronization

extension ProcedureRunner {
    /// One pass of one step on one server in a fresh session: its plan (or re-analysis) in
    /// `.analyze`, its application in `.execute` (under the execution's saved plan, if any).
    func pass(_ step: StepDefinition, server: String?, mode: RunMode) -> (RunReport.Step, [String]) {
        var passOptions = options
        passOptions.intent = switch mode {
        case .analyze: options.intent.planning
        case .execute: options.intent
        }
        do {
            let session = try RunSession(options: passOptions)
            let report = session.runScript(path: step.path, id: step.id, title: step.title(for: server), section: step.section,
                                           server: server)
            session.finish()
            return (report, session.warnings + session.recorder.warnings)
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
        let rows = self.rows
        progress.set(rows.filter { !completed.contains(Journal.key(step: $0.0.id, server: $0.1)) }.count)
        do {
            // A corrupt database fails here, before the first phase commits; a journal that
            // cannot be written stops the run before anything is changed.
            try DatabaseIntegrity.check(site: options.site)
            // A resume's run-started record keeps what finished and what was confirmed before it.
            try journal?.append(runStartedEntry(rows: rows))
        } catch {
            return RunReport.make(heading(.execute, started), steps: [], error: RunReport.ErrorDetail(error))
        }
        var warnings: [String] = []
        if procedure.confirmOnce {
            let plan = analyze()
            warnings += plan.warnings
            let pending = plan.steps.filter { !completed.contains(Journal.key(step: $0.id, server: $0.server)) }
            if plan.outcome == .error || plan.outcome == .blocked {
                return finish(RunReport.make(heading(.execute, started), steps: plan.steps, warnings: warnings, error: plan.error,
                                             blocked: plan.outcome == .blocked))
            }
            let unconfirmed = pending.filter { $0.plansChanges && !preconfirmed.contains(Journal.key(step: $0.id, server: $0.server)) }
            if !unconfirmed.isEmpty {
                onEvent(.procedurePlanned(plan))
                let answer = ask(RunReport.Step(id: procedure.name, title: procedure.title, section: nil, server: nil, state: .planned,
                                                script: nil, changes: pending.flatMap { $0.changes(.planned) }, issues: [], log: [], error: nil))
                if !answer.confirmed {
                    // The plan stays in the report, its changes not confirmed: none reached the world.
                    return finish(RunReport.make(heading(.execute, started), steps: pending.map(Self.notConfirmed), warnings: warnings,
                                                 notConfirmed: true), askedAt: answer.askedAt)
                }
                do {
                    try journal?.append(confirmedEntry(rows: pending.filter(\.plansChanges).map { Journal.key(step: $0.id, server: $0.server) },
                                                       askedAt: answer.askedAt))
                } catch {
                    return finish(RunReport.make(heading(.execute, started), steps: [], warnings: warnings, error: RunReport.ErrorDetail(error)))
                }
            }
        }
        onEvent(.executionStarted)
        var steps: [RunReport.Step] = []
        var blocked = false
        var refused = false
        var declinedAskedAt: Date?
        for step in procedure.enabledSteps {
            let stepServers = servers(for: step)
            if blocked || refused || steps.contains(where: { $0.state == .failed }) {
                steps += stepServers.map { skipped(step, server: $0) }
                continue
            }
            let results = runRows(step, servers: stepServers, warnings: &warnings)
            blocked = results.contains { $0.step.state == .issues || $0.step.error?.kind == .precondition }
            refused = results.contains { $0 == .declined }
            declinedAskedAt = results.first { $0 == .declined }?.askedAt ?? declinedAskedAt
            steps += results.map(\.step)
        }
        return finish(RunReport.make(heading(.execute, started), steps: steps, warnings: warnings, blocked: blocked, notConfirmed: refused),
                      askedAt: declinedAskedAt)
    }

    /// What became of one row.
    struct RowResult: Sendable {
        enum Outcome: Equatable, Sendable { case ran, declined }
        var step: RunReport.Step
        var outcome: Outcome = .ran
        /// Whether its step-started record was journaled (once confirmed, before it applied).
        var started = false
        /// When the row's prompt was put, if it asked (``ProcedureRunner/ask(_:)``).
        var askedAt: Date?

        static func == (result: RowResult, outcome: Outcome) -> Bool { result.outcome == outcome }
    }

    /// Runs the rows of one step: concurrently across servers (at most `maximumConcurrentRows`)
    /// when the procedure confirms once, one after the other otherwise.
    ///
    /// See the thread model in ``ProcedureRunner``.
    func runRows(_ step: StepDefinition, servers: [String?], warnings: inout [String]) -> [RowResult] {
        let shared = RowResults(count: servers.count)
        let work: @Sendable (Int) -> Void = { index in
            let server = servers[index]
            let key = Journal.key(step: step.id, server: server)
            var rowWarnings: [String] = []
            var result: RowResult
            if completed.contains(key) {
                var done = skipped(step, server: server)
                done.state = .done
                done.log = ["(finished before the resume)"]
                result = RowResult(step: done)
            } else {
                shared.withLock { _ in onEvent(.stepStarted(step, server: server)) }
                var ran = runRow(step, server: server, warnings: &rowWarnings)
                if ran.outcome == .ran {
                    do {
                        // A row that needed no confirmation (nothing to apply, a failed analysis)
                        // is journaled as started only now, with its end.
                        if !ran.started { try journal?.append(stepEntry(.stepStarted, step, server: server)) }
                        var finished = stepEntry(.stepFinished, step, server: server, state: ran.step.state.rawValue, message: ran.step.error?.message)
                        finished.applied = ran.step.changes.filter { $0.status == .applied }.count
                        finished.inDoubt = RemoteWorld.inDoubt(&ran.step)
                        try journal?.append(finished)
                    } catch {
                        // The row ran but its end is not on record: stop before the next change.
                        ran.step.state = .failed
                        ran.step.error = RunReport.ErrorDetail(error)
                    }
                }
                result = ran
                progress.finishOne()
                let finished = result.step
                shared.withLock { _ in
                    onEvent(.stepFinished(finished))
                    if !rowWarnings.isEmpty { onEvent(.stepWarned(rowWarnings)) }
                }
            }
            shared.withLock {
                $0.steps[index] = result
                $0.warnings += rowWarnings
            }
        }
        if procedure.confirmOnce && servers.count > 1 {
            // Each row has its own session, Lua state and world; shared results go through `shared`.
            let slots = DispatchSemaphore(value: maximumConcurrentRows)
            let group = DispatchGroup()
            for index in servers.indices {
                slots.wait()
                group.enter()
                Thread.detachNewThread {
                    work(index)
                    slots.signal()
                    group.leave()
                }
            }
            group.wait()
        } else {
            for index in servers.indices { work(index) }
        }
        let gathered = shared.withLock { $0 }
        warnings += gathered.warnings
        return gathered.steps.compactMap { $0 }
    }

    /// One row: plan it, confirm (per phase), apply, and analyze again.
    func runRow(_ step: StepDefinition, server: String?, warnings: inout [String]) -> RowResult {
        let (plan, planWarnings) = pass(step, server: server, mode: .analyze)
        warnings += planWarnings
        if plan.state == .failed || plan.state == .skipped { return RowResult(step: plan) }
        if let saved = options.intent.savedPlan, let refusal = Self.departure(of: plan, from: saved) {
            // Under --plan a row applies the saved plan's changes or nothing.
            var refused = plan
            refused.state = .failed
            refused.error = RunReport.ErrorDetail(PhaseKitError.refused(refusal))
            return RowResult(step: refused)
        }
        if !plan.plansChanges && plan.issues.isEmpty {
            var done = plan
            done.state = .done
            return RowResult(step: done)
        }
        var askedAt: Date?
        if plan.plansChanges && !procedure.confirmOnce && !preconfirmed.contains(Journal.key(step: step.id, server: server)) {
            onEvent(.phasePlanned(plan))
            let answer = ask(plan)
            askedAt = answer.askedAt
            if !answer.confirmed { return RowResult(step: Self.notConfirmed(plan), outcome: .declined, askedAt: askedAt) }
        }
        // Confirmed (or nothing to confirm): on record as started before it changes anything.
        do {
            var entry = stepEntry(.stepStarted, step, server: server)
            entry.askedAt = askedAt
            try journal?.append(entry)
        } catch {
            var refused = skipped(step, server: server)
            refused.state = .failed
            refused.error = RunReport.ErrorDetail(error)
            return RowResult(step: refused, started: true)
        }
        return RowResult(step: applyAndVerify(step, server: server, plan: plan, warnings: &warnings), started: true)
    }

    /// Why a row's fresh plan is not the one the saved plan holds for it, or nil when it is.
    static func departure(of plan: RunReport.Step, from saved: SavedPlan) -> String? {
        let expected = saved.changes(step: plan.id, server: plan.server)
        guard expected.map(\.summary) != plan.changes.map(\.summary) else { return nil }
        let name = plan.id + (plan.server.map { " [\($0)]" } ?? "")
        return "what \(name) plans now (\(plan.changes.count) change(s)) is not what the saved plan holds for it (\(expected.count)): nothing of it is applied"
    }

    /// Applies a phase's plan, then analyzes it again: what remains is reported as the phase's issues.
    func applyAndVerify(_ step: StepDefinition, server: String?, plan: RunReport.Step, warnings: inout [String]) -> RunReport.Step {
        var applied = plan
        if plan.plansChanges {
            willApply()
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
        } else if verify.plansChanges || !verify.issues.isEmpty {
            // Only planned changes remain to be done; writes that failed or were refused in the
            // re-analysis plan nothing.
            let remaining = verify.changes(.planned)
            result.state = .issues
            result.issues = verify.issues
            if !remaining.isEmpty {
                result.issues.append(Finding(
                    summary: "\(remaining.count) change(s) still planned after applying this phase",
                    detail: remaining.map(\.summary).joined(separator: "\n"), resolution: .manual,
                    location: nil, step: step.id, server: server))
            }
        } else {
            // Resolved: the findings that explained the phase's changes stay in the report.
            result.state = .done
            result.issues = plan.issues.filter { $0.resolution == .planned }
        }
        return result
    }
}

/// What the rows of one step report, gathered from their threads behind one lock.
private final class RowResults: Sendable {
    struct Gathered {
        /// Each row's result, by the index of its server.
        var steps: [ProcedureRunner.RowResult?]
        var warnings: [String] = []
    }

    private let gathered: Mutex<Gathered>

    init(count: Int) {
        gathered = Mutex(Gathered(steps: Array(repeating: nil, count: count)))
    }

    func withLock<Result: Sendable>(_ body: (inout Gathered) -> Result) -> Result {
        gathered.withLock { body(&$0) }
    }
}
