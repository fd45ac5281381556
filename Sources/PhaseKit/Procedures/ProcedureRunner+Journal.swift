import Foundation

extension ProcedureRunner {
    /// Ends an execution: its run-finished record (the outcome, the changes applied and those
    /// not confirmed); a record that cannot be written turns the report into an error.
    ///
    /// - Parameter askedAt: when the prompt the run ended at (answered no) was put.
    func finish(_ report: RunReport, askedAt: Date? = nil) -> RunReport {
        var entry = Journal.Entry(event: .runFinished)
        entry.askedAt = askedAt
        entry.state = report.outcome.rawValue
        entry.applied = report.changes(.applied).count
        let unconfirmed = report.changes(.notConfirmed).count
        entry.notConfirmed = unconfirmed > 0 ? unconfirmed : nil
        // Not declined: nobody could be asked. The execution stays resumable.
        if report.outcome == .notConfirmed && !canAsk { entry.awaitingConfirmation = true }
        do {
            try journal?.append(entry)
        } catch {
            // The run's end is not on record: say so; status will show the run as interrupted.
            var failed = report
            failed.error = RunReport.ErrorDetail(error)
            failed.outcome = .error
            failed.exitCode = RunReport.Outcome.error.exitCode
            return failed
        }
        return report
    }

    func runStartedEntry(rows: [(StepDefinition, String?)]) -> Journal.Entry {
        var entry = Journal.Entry(event: .runStarted)
        entry.procedure = procedure.name
        entry.mode = .execute
        entry.rows = rows.map { Journal.key(step: $0.0.id, server: $0.1) }
        entry.rowTitles = rows.map { $0.0.title(for: $0.1) }
        entry.pid = getpid()
        entry.host = ProcessInfo.processInfo.hostName
        entry.confirmedUpFront = confirmedUpFront ? true : nil
        // A resume carries forward, in one record, what finished before it and what was confirmed
        // but not finished (in the order of the rows), for a resume of the resume.
        let finished = entry.rows?.filter(completed.contains) ?? []
        entry.finishedBefore = finished.isEmpty ? nil : finished
        let kept = entry.rows?.filter { preconfirmed.contains($0) && !completed.contains($0) } ?? []
        entry.confirmedBefore = kept.isEmpty ? nil : kept
        return entry
    }

    func confirmedEntry(rows: [String], askedAt: Date?) -> Journal.Entry {
        var entry = Journal.Entry(event: .confirmed)
        entry.rows = rows
        entry.askedAt = askedAt
        return entry
    }

    func stepEntry(_ event: Journal.Entry.Event, _ step: StepDefinition, server: String?, state: String? = nil, message: String? = nil) -> Journal.Entry {
        var entry = Journal.Entry(event: event)
        entry.step = step.id
        entry.server = server
        entry.title = step.title(for: server)
        entry.state = state
        entry.message = message
        entry.scriptSHA256 = RunSession.identity(of: step.path)?.sha256
        return entry
    }

    /// Asks the operator to confirm `plan` (``confirm``); `askedAt` is when, if a question was
    /// really put (not confirmed up front, someone to ask): the records answering it carry it.
    func ask(_ plan: RunReport.Step) -> (confirmed: Bool, askedAt: Date?) {
        let askedAt = confirmedUpFront || !canAsk ? nil : Date()
        return (confirm(plan), askedAt)
    }

    /// A planned row as the report of an execution that was not confirmed shows it: passed over,
    /// its planned changes not confirmed.
    static func notConfirmed(_ step: RunReport.Step) -> RunReport.Step {
        var step = step
        guard step.plansChanges else { return step }
        for index in step.changes.indices where step.changes[index].status == .planned { step.changes[index].status = .notConfirmed }
        step.state = .skipped
        step.log.append("(not confirmed: nothing applied)")
        return step
    }
}
