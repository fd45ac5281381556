import Foundation

/// How a phasekit process ended.
enum Exit: Equatable, Sendable, CustomStringConvertible {
    case code(Int32)
    case signal(Int32)

    var description: String {
        switch self {
        case .code(let code): "exit \(code)"
        case .signal(let signal): "killed by signal \(signal)"
        }
    }
}

/// What the world (database rows, volumes, files of the site and of its servers) must be.
enum WorldState: Equatable, Sendable, CustomStringConvertible {
    /// Exactly as after the first N phases were confirmed and applied (0: untouched).
    case prefix(Int)
    /// As after an uninterrupted execution.
    case end
    /// Anything: a row was cut in the middle (only what follows is checked).
    case any

    var description: String {
        switch self {
        case .prefix(0): "untouched"
        case .prefix(let phases): "exactly the first \(phases) confirmed phase(s)"
        case .end: "the uninterrupted end state"
        case .any: "unconstrained"
        }
    }
}

/// What `status` must say of the run.
enum StatusSays: Equatable, Sendable, CustomStringConvertible {
    /// `finished (OUTCOME)`; JSON state finished with that outcome.
    case finished(String)
    /// Not resumable: no `phasekit resume` suggested, JSON state neither interrupted nor running.
    case notResumable
    /// `interrupted: run phasekit resume`; JSON state interrupted.
    case interrupted

    var description: String {
        switch self {
        case .finished(let outcome): "finished (\(outcome))"
        case .notResumable: "finished, nothing to resume"
        case .interrupted: "interrupted: run phasekit resume"
        }
    }
}

/// One thing the operator does on the way on, and what it must give.
struct WayOnStep: Sendable, CustomStringConvertible {
    enum Action: String, Sendable {
        /// `phasekit resume` without a terminal.
        case resume
        /// `phasekit resume` without a terminal, killed after its second journal record.
        case resumeKilled
        /// `phasekit resume` on a terminal, answering `y` to every question.
        case resumeOnTerminal
        /// `phasekit run PROC --execute --yes` again.
        case runAgain
        /// Start the host's sshd again.
        case restoreHost
    }

    var action: Action
    var exits: [Exit] = [.code(0)]
    var world: WorldState = .any
    /// Text its output must contain.
    var says: String?

    var description: String { "\(action.rawValue) (\(exits.map(\.description).joined(separator: " or ")), world \(world))" }
}

/// One outcome the model allows for a case: how the interrupted run ends and what follows.
struct Outcome: Sendable {
    /// The name of the branch, for reports.
    var name: String
    var exits: [Exit]
    /// Texts the run's output must contain.
    var says: [String] = []
    var world: WorldState
    var status: StatusSays
    /// The changes `history` (text and JSON) counts for the run: those of its first N phases.
    var historyCounts: Int?
    /// Changes the run's closing lines report as applied (the confirmed phases' changes stay
    /// applied and are reported when a later prompt is not confirmed): those of its first N phases.
    var reportsApplied: Int?
    /// Rows the run's journal records as started (a phase is journaled only once confirmed).
    var startedRows: Int?
    var wayOn: [WayOnStep]
}

/// The interruption model of docs/policy.md ("Interruptions"), as issue 24 states it: for a case,
/// given how many phases the operator confirmed before the interruption and whether it hit a
/// living run, the outcomes allowed. Pure: no process, no file.
enum InterruptionModel {
    static func outcomes(of fault: FaultCase, confirmed: Int, landed: Bool) -> [Outcome] {
        let phases = fault.procedure.prompts
        let uninterrupted = Outcome(name: "uninterrupted", exits: [.code(0)], world: .end, status: .finished("applied"),
                                    historyCounts: phases, wayOn: [])
        guard landed else { return [uninterrupted] }
        // Not confirmed: exit 4, the confirmed prefix stays (none before the analysis ended, even
        // under --yes); nothing to resume; a new run goes on.
        let applied = fault.moment == .analysis ? 0 : confirmed
        let refused = Outcome(name: "not confirmed", exits: [.code(4)], says: ["Not confirmed"], world: .prefix(applied),
                              status: .finished("not-confirmed"), historyCounts: applied, reportsApplied: applied > 0 ? applied : nil,
                              startedRows: fault.procedure == .sync ? applied : nil,
                              wayOn: [WayOnStep(action: .resume, world: .prefix(applied), says: "Nothing to resume"),
                                      WayOnStep(action: .runAgain, world: .end)])
        switch fault.interruption {
        case .endOfInput, .no:
            return [refused]
        case .ctrlC, .sigterm, .sighup:
            if case .prompt = fault.moment { return [refused] }
            if fault.moment == .analysis { return [refused] }
            guard fault.procedure.interruptible else {
                var deferred = uninterrupted
                deferred.name = "signal deferred"
                deferred.says = ["the signal is deferred"]
                return [deferred]
            }
            // On a terminal, a signal between two phases may also be taken as "not confirmed" for the next one.
            let killed = killed(fault, by: fault.interruption.signal ?? SIGKILL, confirmed: confirmed)
            return fault.confirmation.upFront ? [killed] : [killed, refused]
        case .sigkill:
            return [killed(fault, by: SIGKILL, confirmed: confirmed)]
        case .killedSSHClient, .killedAgent, .sshdGone:
            let restore = fault.interruption == .sshdGone ? [WayOnStep(action: .restoreHost)] : []
            // A lost host is an unmet precondition of the row (exit 3), and the message says to resume.
            let failedRow = Outcome(name: "row failed, resumable", exits: [.code(3)], says: ["connection lost", "resume"],
                                    world: .any, status: .interrupted, wayOn: restore + resumeToEnd(fault, confirmed: confirmed))
            guard fault.moment != .analysis else {
                // Either form docs/operations.md names: the error's "...; nothing was changed", or the
                // closing "Stopped: ... Nothing was changed." of an analysis that stopped on the host.
                let lostAnalysis = Outcome(name: "analysis lost a host", exits: [.code(3)], says: ["nothing was changed|Nothing was changed."],
                                           world: .prefix(0), status: .notResumable, historyCounts: 0,
                                           wayOn: restore + [WayOnStep(action: .runAgain, world: .end)])
                return [lostAnalysis, failedRow, uninterrupted]
            }
            return [failedRow, uninterrupted]
        case .fullDisk:
            // The journal's error, or SQLite's when the database's write is the one refused.
            let message = "No space left on device|database or disk is full"
            // The space is freed before status is read: that is the operator's first act.
            let resumable = Outcome(name: "row failed, resumable", exits: [.code(1)], says: [message], world: .any,
                                    status: .interrupted, wayOn: resumeToEnd(fault, confirmed: confirmed))
            let failed = Outcome(name: "run failed, run again", exits: [.code(1)], says: [message], world: .any,
                                 status: .notResumable, wayOn: [WayOnStep(action: .runAgain, world: .end)])
            return [resumable, failed, uninterrupted]
        case .postgresRestart:
            // A lost database connection is a lost connection like a host's: the row fails (its
            // transaction rolled back by the server), exit 3, and the run says to resume. A run that
            // sends nothing to the database after the restart (configure) does not notice it.
            let lost = Outcome(name: "row failed, resumable", exits: [.code(3)], says: ["connection lost", "resume"], world: .any,
                               status: .interrupted, wayOn: resumeToEnd(fault, confirmed: confirmed))
            return [lost, uninterrupted]
        }
    }

    /// Killed (SIGKILL, or a signal's default action once sync applies): resumable.
    static func killed(_ fault: FaultCase, by signal: Int32, confirmed: Int) -> Outcome {
        Outcome(name: "killed", exits: [.signal(signal)], world: .any, status: .interrupted,
                wayOn: resumeToEnd(fault, confirmed: confirmed))
    }

    /// `resume` without a terminal finishes what was confirmed and stops before the first phase
    /// that was not (exit 4), unless everything was confirmed (`--yes`); on a terminal, each later
    /// phase is asked for again.
    static func resumeToEnd(_ fault: FaultCase, confirmed: Int) -> [WayOnStep] {
        var steps: [WayOnStep] = []
        if fault.crashResume { steps.append(WayOnStep(action: .resumeKilled, exits: [.signal(SIGKILL), .code(0)])) }
        if confirmed >= fault.procedure.prompts {
            steps.append(WayOnStep(action: .resume, world: .end))
        } else {
            steps.append(WayOnStep(action: .resume, exits: [.code(4)], world: .prefix(confirmed)))
            steps.append(WayOnStep(action: .resumeOnTerminal, world: .end))
        }
        return steps
    }
}
