import Foundation

/// The procedures of the sample site the campaign interrupts.
enum Procedure: String, CaseIterable, Sendable {
    case sync, configure

    /// How many times an interactive execution asks `Proceed? [y/N]`: sync per phase, configure once.
    var prompts: Int { self == .sync ? 5 : 1 }
    /// Whether SIGINT, SIGTERM and SIGHUP still end the run once it applies (sync), or are deferred
    /// until its end (configure, `interruptible = false`).
    var interruptible: Bool { self == .sync }
    /// Journal records of an uninterrupted execution: run-started, a started and a finished record
    /// per row (sync 5 rows, configure 48), run-finished.
    var journalRecords: Int { self == .sync ? 12 : 98 }
    /// Writes an uninterrupted execution applies.
    var writes: Int { self == .sync ? 34 : 46 }
}

/// Where the sample replication group's servers are: below the site, or each on its own ssh host.
enum Placement: String, Sendable {
    /// Servers in the site's directory, the management database in its `cms.db` (SQLite).
    case local
    /// Servers on the ssh test hosts.
    case ssh
    /// Servers local, the management database on the suite's PostgreSQL server.
    case postgres
}

/// How the execution is confirmed: on the terminal, phase by phase (`y` typed), up front
/// (`--yes`), or up front with the plan saved just before (`--plan-out`, then `--yes --plan`).
enum Confirmation: String, Sendable {
    case interactive, yes, plan

    /// Whether the whole run is confirmed before it starts.
    var upFront: Bool { self != .interactive }
}

/// The kinds of interruption of issue 24's model (docs/policy.md, "Interruptions").
enum Interruption: String, CaseIterable, Sendable {
    case ctrlC, sigterm, sighup, endOfInput, no, sigkill
    case killedSSHClient, killedAgent, sshdGone, fullDisk, postgresRestart

    /// The signal it sends to phasekit, for the signal kinds.
    var signal: Int32? {
        switch self {
        case .ctrlC: SIGINT
        case .sigterm: SIGTERM
        case .sighup: SIGHUP
        case .sigkill: SIGKILL
        default: nil
        }
    }

    /// Whether it only exists as an answer to a prompt (end of input, `n`).
    var isAnswer: Bool { self == .endOfInput || self == .no }
    /// Whether it cuts a host's connection (ssh placement only).
    var isConnectionLoss: Bool { [.killedSSHClient, .killedAgent, .sshdGone].contains(self) }
}

/// The moment an interruption hits.
enum Moment: Equatable, Sendable, CustomStringConvertible {
    /// At the Nth `Proceed? [y/N]` prompt (1-based), the ones before it answered `y`.
    case prompt(Int)
    /// During the analysis that precedes the execution (before anything is confirmed or applied).
    case analysis
    /// Right after the Nth journal record is on disk: a row's start or finish, between rows.
    case journal(Int)
    /// Right after the Nth write reached the world (inside a step).
    case write(Int)
    /// Between a step's database commit (the Nth) and its finished record.
    case commit(Int)

    var description: String {
        switch self {
        case .prompt(let number): "prompt \(number)"
        case .analysis: "the analysis before execution"
        case .journal(let number): "journal:\(number)"
        case .write(let number): "write:\(number)"
        case .commit(let number): "commit:\(number)"
        }
    }

    /// The `PHASEKIT_CRASH_AT`/`PHASEKIT_HANG_AT` value of the moment, where it has one.
    var point: String? {
        switch self {
        case .prompt: nil
        case .analysis: "journal:1"
        case .journal(let number): "journal:\(number)"
        case .write(let number): "write:\(number)"
        case .commit(let number): "commit:\(number)"
        }
    }
}

/// One case of the campaign, entirely determined by its seed.
struct FaultCase: Sendable, CustomStringConvertible {
    var seed: UInt64
    var procedure: Procedure
    var placement: Placement
    var confirmation: Confirmation
    var interruption: Interruption
    var moment: Moment
    /// The host (1-3: production, recovery1, recovery2) a connection fault hits.
    var host: Int
    /// Whether the first `resume` is itself killed (SIGKILL after its second journal record).
    var crashResume: Bool

    var description: String {
        "seed \(seed): \(procedure) \(placement) \(["interactive": "interactive", "yes": "--yes", "plan": "--yes --plan"][confirmation.rawValue] ?? ""), "
            + "\(interruption) at \(moment)\(interruption.isConnectionLoss ? " (host\(host))" : "")"
            + (crashResume ? ", the first resume killed too" : "")
    }
}

/// What the campaign can use on this machine: it picks only cases it can run.
struct Capabilities: Sendable {
    /// sshd and ssh are installed (the ssh placement).
    var ssh: Bool
    /// A small file system can be mounted (root: the full-disk kind).
    var smallDisk: Bool
    /// PHASEKIT_TEST_POSTGRES_URL is set.
    var postgres: Bool
    /// The build honours PHASEKIT_CRASH_AT and PHASEKIT_HANG_AT (debug builds).
    var faultPoints: Bool
}
