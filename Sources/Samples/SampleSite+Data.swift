/// The fixed content of the sample site, shared by the database (the world at backup time) and the
/// sources of truth (the world now), so both tell one consistent story.
extension SampleSite {
    /// An IO service: a group of servers provisioned from a template.
    struct IOService {
        var id: String
        var name: String
        var owner: String
        var createdAt: String
        /// Tiers as (tier name, template, server count).
        var tiers: [(String, String, Int)]
        /// Whether the service is in the restored database (created before the backup).
        var inBackup = true
        /// Whether the service still exists in the live infrastructure.
        var live = true
    }

    static let ioServices: [IOService] = [
        IOService(id: "svc-0001", name: "web-tier-prod", owner: "web-ops", createdAt: "2025-06-02T10:14:00Z",
                  tiers: [("web", "rhel9-web", 4), ("app", "rhel9-jboss", 2)]),
        IOService(id: "svc-0002", name: "erp-app", owner: "erp-team", createdAt: "2025-07-19T08:02:00Z",
                  tiers: [("app", "win2022-erp", 3), ("db", "rhel9-oracle", 2)]),
        IOService(id: "svc-0003", name: "mail-relay", owner: "messaging", createdAt: "2025-08-30T13:40:00Z",
                  tiers: [("relay", "rhel9-postfix", 2)]),
        IOService(id: "svc-0004", name: "ci-runners", owner: "build-eng", createdAt: "2025-09-11T07:25:00Z",
                  tiers: [("runner", "ubuntu24-ci", 6)]),
        IOService(id: "svc-0005", name: "dev-sandbox-17", owner: "j.moreau", createdAt: "2026-01-08T15:03:00Z",
                  tiers: [("vm", "ubuntu24-dev", 2)], live: false),
        IOService(id: "svc-0006", name: "vdi-pool-a", owner: "workplace", createdAt: "2025-10-03T09:00:00Z",
                  tiers: [("desktop", "win11-vdi", 8)]),
        IOService(id: "svc-0007", name: "analytics-spark", owner: "data-eng", createdAt: "2025-11-21T11:48:00Z",
                  tiers: [("master", "rhel9-spark", 1), ("worker", "rhel9-spark", 5)]),
        IOService(id: "svc-0008", name: "hr-portal", owner: "hr-it", createdAt: "2025-12-01T16:30:00Z",
                  tiers: [("web", "win2022-iis", 2), ("db", "win2022-sql", 1)]),
        IOService(id: "svc-0009", name: "qa-regression-3", owner: "qa", createdAt: "2026-02-17T12:12:00Z",
                  tiers: [("agent", "win2022-qa", 3)], live: false),
        IOService(id: "svc-0010", name: "backup-proxy", owner: "storage", createdAt: "2026-02-25T06:55:00Z",
                  tiers: [("proxy", "rhel9-backup", 2)]),
        // Created after the backup: only the live inventory knows it.
        IOService(id: "svc-0011", name: "payroll-batch", owner: "hr-it", createdAt: "2026-03-15T08:20:00Z",
                  tiers: [("batch", "rhel9-batch", 2)], inBackup: false),
    ]

    /// An IO request as the restored database holds it.
    struct IORequest {
        var id: Int
        var service: String
        var kind: String
        var state: String
        var requestedBy: String
        var createdAt: String
        var scheduledAt: String?
        var startedAt: String?
        var finishedAt: String?
        var reason: String?
    }

    /// Requests: history, three in progress at backup time, one queued, four scheduled between
    /// the backup and the restore, two scheduled after the restore.
    static let ioRequests: [IORequest] = [
        IORequest(id: 1001, service: "svc-0001", kind: "provision", state: "completed", requestedBy: "web-ops",
                  createdAt: "2025-06-02T10:14:00Z", startedAt: "2025-06-02T10:15:02Z", finishedAt: "2025-06-02T11:02:41Z"),
        IORequest(id: 1002, service: "svc-0002", kind: "provision", state: "completed", requestedBy: "erp-team",
                  createdAt: "2025-07-19T08:02:00Z", startedAt: "2025-07-19T08:02:30Z", finishedAt: "2025-07-19T09:47:12Z"),
        IORequest(id: 1003, service: "svc-0004", kind: "add_server", state: "completed", requestedBy: "build-eng",
                  createdAt: "2026-01-12T14:00:00Z", startedAt: "2026-01-12T14:00:41Z", finishedAt: "2026-01-12T14:31:09Z"),
        IORequest(id: 1004, service: "svc-0006", kind: "add_server", state: "failed", requestedBy: "workplace",
                  createdAt: "2026-02-02T09:30:00Z", startedAt: "2026-02-02T09:30:12Z", finishedAt: "2026-02-02T09:58:44Z",
                  reason: "template win11-vdi: customization timed out"),
        IORequest(id: 1005, service: "svc-0007", kind: "power_cycle", state: "terminated", requestedBy: "data-eng",
                  createdAt: "2026-02-20T18:05:00Z", startedAt: "2026-02-20T18:05:10Z", finishedAt: "2026-02-20T18:40:00Z",
                  reason: "terminated by administrator"),
        IORequest(id: 1006, service: "svc-0010", kind: "provision", state: "completed", requestedBy: "storage",
                  createdAt: "2026-02-25T06:55:00Z", startedAt: "2026-02-25T06:55:20Z", finishedAt: "2026-02-25T07:41:03Z"),
        // In progress when the backup was taken (02:00).
        IORequest(id: 1007, service: "svc-0004", kind: "add_server", state: "in_progress", requestedBy: "build-eng",
                  createdAt: "2026-03-14T01:40:00Z", startedAt: "2026-03-14T01:41:05Z"),
        IORequest(id: 1008, service: "svc-0007", kind: "remove_server", state: "in_progress", requestedBy: "data-eng",
                  createdAt: "2026-03-14T01:52:00Z", startedAt: "2026-03-14T01:52:30Z"),
        IORequest(id: 1009, service: "svc-0001", kind: "power_cycle", state: "in_progress", requestedBy: "web-ops",
                  createdAt: "2026-03-14T01:58:00Z", startedAt: "2026-03-14T01:58:12Z"),
        // Queued before the backup, not yet started: it ran after the backup.
        IORequest(id: 1010, service: "svc-0003", kind: "add_server", state: "queued", requestedBy: "messaging",
                  createdAt: "2026-03-14T01:59:30Z", scheduledAt: "2026-03-14T01:59:30Z"),
        // Scheduled to run between the backup and the restore.
        IORequest(id: 1011, service: "svc-0005", kind: "deprovision", state: "scheduled", requestedBy: "j.moreau",
                  createdAt: "2026-03-13T17:00:00Z", scheduledAt: "2026-03-14T22:00:00Z"),
        IORequest(id: 1012, service: "svc-0009", kind: "deprovision", state: "scheduled", requestedBy: "qa",
                  createdAt: "2026-03-12T10:00:00Z", scheduledAt: "2026-03-15T06:00:00Z"),
        IORequest(id: 1013, service: "svc-0006", kind: "add_server", state: "scheduled", requestedBy: "workplace",
                  createdAt: "2026-03-13T12:00:00Z", scheduledAt: "2026-03-15T07:30:00Z"),
        IORequest(id: 1014, service: "svc-0002", kind: "power_cycle", state: "scheduled", requestedBy: "erp-team",
                  createdAt: "2026-03-10T08:00:00Z", scheduledAt: "2026-03-16T03:00:00Z"),
        // Scheduled after the restore: they have not run; the synchronization leaves them alone.
        IORequest(id: 1015, service: "svc-0008", kind: "add_server", state: "scheduled", requestedBy: "hr-it",
                  createdAt: "2026-03-11T09:00:00Z", scheduledAt: "2026-03-20T05:00:00Z"),
        IORequest(id: 1016, service: "svc-0010", kind: "power_cycle", state: "scheduled", requestedBy: "storage",
                  createdAt: "2026-03-13T15:00:00Z", scheduledAt: "2026-03-22T02:30:00Z"),
    ]

    /// A logical server RM can protect.
    struct LogicalServer {
        var id: String
        var name: String
        var host: String
    }

    /// A recovery group: logical servers (id, failover priority) that fail over together.
    struct RecoveryGroup {
        var id: String
        var name: String
        var recoverySite: String
        var failoverPolicy: String
        var members: [(String, Int)]
    }

    /// The RM configuration at backup time.
    static let backupLogicalServers: [LogicalServer] = [
        LogicalServer(id: "ls-0101", name: "erp-db-01", host: "bl460-01"),
        LogicalServer(id: "ls-0102", name: "erp-app-01", host: "bl460-02"),
        LogicalServer(id: "ls-0103", name: "erp-batch-01", host: "bl460-04"),
        LogicalServer(id: "ls-0104", name: "mail-mbx-01", host: "bl460-05"),
        LogicalServer(id: "ls-0105", name: "mail-mbx-02", host: "bl460-06"),
        LogicalServer(id: "ls-0106", name: "web-fe-01", host: "bl460-03"),
        LogicalServer(id: "ls-0107", name: "web-fe-02", host: "bl460-07"),
        LogicalServer(id: "ls-0108", name: "web-fe-03", host: "bl460-08"),
        LogicalServer(id: "ls-0109", name: "report-01", host: "dl380-02"),
        LogicalServer(id: "ls-0110", name: "hr-db-01", host: "bl460-09"),
        LogicalServer(id: "ls-0111", name: "hr-app-01", host: "bl460-10"),
        LogicalServer(id: "ls-0112", name: "spark-master-01", host: "dl380-04"),
    ]

    static let backupGroups: [RecoveryGroup] = [
        RecoveryGroup(id: "rg-01", name: "ERP production", recoverySite: "site-b", failoverPolicy: "automatic",
                      members: [("ls-0101", 1), ("ls-0102", 2), ("ls-0103", 3)]),
        RecoveryGroup(id: "rg-02", name: "Mail and collaboration", recoverySite: "site-b", failoverPolicy: "manual",
                      members: [("ls-0104", 1), ("ls-0105", 2)]),
        RecoveryGroup(id: "rg-03", name: "Web front ends", recoverySite: "site-c", failoverPolicy: "automatic",
                      members: [("ls-0106", 1), ("ls-0107", 1), ("ls-0108", 1)]),
        RecoveryGroup(id: "rg-04", name: "Legacy reporting", recoverySite: "site-c", failoverPolicy: "manual",
                      members: [("ls-0109", 1)]),
        RecoveryGroup(id: "rg-05", name: "HR systems", recoverySite: "site-b", failoverPolicy: "automatic",
                      members: [("ls-0110", 1), ("ls-0111", 2)]),
    ]

    /// The RM configuration now (the export): ls-0103 and ls-0108 deleted, web-fe-01 moved to
    /// another blade, rg-04 deleted, rg-02's policy changed, rg-05's priorities swapped, and a new
    /// group rg-06 protecting the old spark master and a new logical server.
    static let currentLogicalServers: [LogicalServer] = backupLogicalServers
        .filter { !["ls-0103", "ls-0108"].contains($0.id) }
        .map { $0.id == "ls-0106" ? LogicalServer(id: $0.id, name: $0.name, host: "bl460-11") : $0 }
        + [LogicalServer(id: "ls-0113", name: "spark-worker-01", host: "dl380-05")]

    static let currentGroups: [RecoveryGroup] = [
        RecoveryGroup(id: "rg-01", name: "ERP production", recoverySite: "site-b", failoverPolicy: "automatic",
                      members: [("ls-0101", 1), ("ls-0102", 2)]),
        RecoveryGroup(id: "rg-02", name: "Mail and collaboration", recoverySite: "site-b", failoverPolicy: "automatic",
                      members: [("ls-0104", 1), ("ls-0105", 2)]),
        RecoveryGroup(id: "rg-03", name: "Web front ends", recoverySite: "site-c", failoverPolicy: "automatic",
                      members: [("ls-0106", 1), ("ls-0107", 1)]),
        RecoveryGroup(id: "rg-05", name: "HR systems", recoverySite: "site-b", failoverPolicy: "automatic",
                      members: [("ls-0110", 2), ("ls-0111", 1)]),
        RecoveryGroup(id: "rg-06", name: "Analytics", recoverySite: "site-c", failoverPolicy: "manual",
                      members: [("ls-0112", 1), ("ls-0113", 2)]),
    ]
}
