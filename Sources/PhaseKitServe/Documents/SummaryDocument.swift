import Foundation
import PhaseKit

/// `GET /api/summary`: the Configuration Summary (the pending change's rows, or the group as last
/// initialized) and the synchronization's phases with their findings.
struct SummaryDocument: Encodable, Sendable {
    /// A row the pending change requires, and where it stands.
    struct Row: Encodable, Sendable {
        var step: String
        var title: String
        var server: String?
        /// `done`, `running`, `pending`, `failed` or `needs-action`.
        var state: String
        var detail: String?
    }

    /// The configure part.
    struct Configure: Encodable, Sendable {
        /// Whether `replication/new.yaml` differs from what was last initialized.
        var pending: Bool
        /// The change in operator terms (`production: volume lv_invoices added (24 MiB in vg_data)`).
        var changes: [String]
        var rows: [Row]
        /// The group as last initialized (`replication/saved.yaml`), nil before the first initialization.
        var group: GroupSummary.Group?
        var servers: [GroupSummary.Server]
        /// When the analysis behind ``rows`` ran.
        var analyzedAt: Date?
        /// Why the analysis or the saved configuration could not be read, when it could not.
        var error: String?
    }

    /// A phase of the synchronization.
    struct Phase: Encodable, Sendable {
        var name: String
        var title: String
        var findings: [Finding]
        var needsOperator: Bool
    }

    /// A finding: its text and `severity`, `planned` (the phase's changes resolve it) or
    /// `needs-action` (an operator must act).
    struct Finding: Encodable, Sendable {
        var text: String
        var severity: String
    }

    /// The sync part.
    struct Sync: Encodable, Sendable {
        var phases: [Phase]
        var analyzedAt: Date?
        var error: String?
    }

    var configure: Configure
    var sync: Sync

    /// The sync's phases from its analysis (`report`), or the error that stopped it.
    static func sync(_ report: RunReport?, error: String?, cap: TextCap) -> Sync {
        let phases = (report?.steps ?? []).map { step in
            let findings = step.issues.map { Finding(text: cap.cut($0.summary), severity: $0.resolution == .manual ? "needs-action" : "planned") }
            return Phase(name: cap.cut(step.id), title: cap.cut(step.title), findings: findings,
                         needsOperator: step.issues.contains { $0.resolution == .manual } || step.state == .failed)
        }
        return Sync(phases: phases, analyzedAt: report?.finishedAt, error: cap.cut(error ?? report?.error?.message))
    }
}
