public import Foundation
import LuaRuntime

/// The versioned JSON report of one run, printed by `--json` and kept under `state/reports/`.
///
/// See docs/report.md for the format; ``formatVersion`` changes whenever a field changes meaning.
public struct RunReport: Codable, Sendable {
    public static let formatVersion = 1

    /// Summary of how a run ended; decides the exit code.
    public enum Outcome: String, Codable, Sendable {
        /// Analysis found nothing to change and no issue (exit 0).
        case clean
        /// Analysis planned changes or found issues (exit 2).
        case changes
        /// Execution applied everything and no issue remains (exit 0).
        case applied
        /// A precondition is not met or an issue needs manual action (exit 3).
        case blocked
        /// The run was refused: lock held, stale plan, no terminal to confirm on (exit 4).
        case refused
        /// The operator did not confirm a phase (`n`, end of input, or SIGINT, SIGTERM or SIGHUP
        /// at its prompt or before anything was applied): what was confirmed before stays applied,
        /// nothing more was changed (exit 4).
        case notConfirmed = "not-confirmed"
        /// Bad input, a script error or a limit (exit 1).
        case error

        /// The process exit code for this outcome.
        public var exitCode: Int32 {
            switch self {
            case .clean, .applied: 0
            case .error: 1
            case .changes: 2
            case .blocked: 3
            case .refused, .notConfirmed: 4
            }
        }
    }

    /// One step (and server) of the run.
    public struct Step: Codable, Sendable {
        public enum State: String, Codable, Sendable {
            case done, failed, issues, skipped, planned
        }

        public var id: String
        public var title: String
        public var section: String?
        public var server: String?
        public var state: State
        public var script: ScriptIdentity?
        public var changes: [Change]
        public var issues: [Finding]
        public var log: [String]
        public var error: ErrorDetail?
        /// With saved plans: the SHA-256 of everything the step read.
        public var stateFingerprint: String?

        /// The step's changes that have `status`.
        public func changes(_ status: Change.Status) -> [Change] { changes.filter { $0.status == status } }
        /// Whether the step planned a change (a failed or refused write plans nothing).
        public var plansChanges: Bool { changes.contains { $0.status == .planned } }
    }

    /// A script as it was when it ran: its path and the SHA-256 of its content.
    public struct ScriptIdentity: Codable, Sendable, Hashable {
        public var path: String
        public var sha256: String
    }

    /// An error with where it happened.
    public struct ErrorDetail: Codable, Sendable {
        public var message: String
        public var file: String?
        public var line: Int?
        public var traceback: String?
        public var kind: ErrorKind
    }

    public var format = "phasekit-report"
    public var version = RunReport.formatVersion
    /// The phasekit that wrote the report (``PhaseKitVersion/current``); absent in reports older than 0.2.0.
    public var phasekitVersion: String? = PhaseKitVersion.current
    /// The execution an interrupted run's `resume` continued (its journal's run ID), for resumes.
    public var resumes: String?
    public var target: String
    public var site: String?
    public var mode: RunMode
    public var startedAt: Date
    public var finishedAt: Date
    public var outcome: Outcome
    public var exitCode: Int32
    public var steps: [Step]
    public var warnings: [String]
    public var error: ErrorDetail?

    /// Every change of every step, whatever its status.
    public var changes: [Change] { steps.flatMap(\.changes) }
    /// The changes of every step that have `status`: planned, applied, failed and refused writes
    /// are counted apart.
    public func changes(_ status: Change.Status) -> [Change] { changes.filter { $0.status == status } }
    /// Every issue of every step.
    public var issues: [Finding] { steps.flatMap(\.issues) }
}

extension RunReport.ErrorDetail {
    /// The detail of any error, with file and line when it is a Lua error.
    public init(_ error: any Error) {
        if let lua = error as? LuaError {
            self.init(message: lua.message, file: lua.file, line: lua.line, traceback: lua.traceback, kind: ErrorKind(of: error))
        } else {
            self.init(message: String(describing: error), file: nil, line: nil, traceback: nil, kind: ErrorKind(of: error))
        }
    }
}
