import Foundation
import Testing

/// `phasekit run sync` end to end on the sample site, with the built binary.
@Suite("phasekit run sync", .serialized)
struct SyncCommandTests {
    @Test func analysisFindsWorkInEveryPhaseExecutionAppliesItAndASecondAnalysisIsClean() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-sync-\(UUID().uuidString)").path
        #expect(try CrashRecoveryTests.phasekit(["sample-site", site]).status == 0)
        defer { CrashRecoveryTests.dispose(site) }
        let before = try CrashRecoveryTests.world(of: site)
        let analysis = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(analysis.status == 2)
        for phase in ["Terminate stale requests", "Remove services deleted after the backup",
                      "Mark addresses allocated after the backup", "Install the post-backup RM configuration"] {
            #expect(analysis.output.contains("! \(phase)  ("), "\(phase) found no work")
        }
        // The pre-check plans the stops of the non-required services in its own step.
        #expect(analysis.output.contains("""
              ~ Check the management services  (2 changes)
                  + stop service io-orchestrator on cms (not required: nothing may change underneath the synchronization)
                  + stop service rm-agent on cms (not required: nothing may change underneath the synchronization)
            """), "\(analysis.output.prefix(600))")
        #expect(analysis.output.contains("34 changes planned; 21 findings, 0 need manual action. Nothing was changed; apply with --execute."))
        #expect(try CrashRecoveryTests.world(of: site) == before, "analysis changed the world")

        let execution = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--yes"])
        #expect(execution.status == 0, "\(execution.output.suffix(500))")
        let again = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(again.status == 0)
        #expect(again.output.contains("Nothing to change."))
        #expect(!again.output.contains("stop service"), "execution stopped the non-required services")
    }

    @Test func aRequiredServiceDownStopsTheAnalysisNamingItAndHowToStartIt() throws {
        let site = try CrashRecoveryTests.sampleSite()   // no service started
        defer { CrashRecoveryTests.dispose(site) }
        let analysis = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(analysis.status == 3)
        #expect(analysis.output.contains("required services are not running: cms-database (stopped), cms-directory (stopped)"))
        #expect(analysis.output.contains("phasekit run sync --execute starts them"))
        #expect(!analysis.output.contains("! Terminate stale requests"), "no phase runs past the failed initialization")
    }

    @Test func aPhaseWithAManualIssueStopsExecutionBeforeTheNextPhase() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-sync-\(UUID().uuidString)").path
        #expect(try CrashRecoveryTests.phasekit(["sample-site", site]).status == 0)
        defer { CrashRecoveryTests.dispose(site) }
        // Without the live inventory nothing can tell which services were deleted: the operator must mark the review file.
        try FileManager.default.removeItem(atPath: site + "/inventory/services.json")
        let execution = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--yes"])
        #expect(execution.status == 3)
        #expect(execution.output.contains("✓ Terminate stale requests"))
        #expect(execution.output.contains("! Remove services deleted after the backup"))
        #expect(execution.output.contains("state/review/io-deleted-services.txt"))
        #expect(execution.output.hasSuffix("\nStopped: 1 finding needs manual action before the run can go on.\n"), "\(execution.output.suffix(300))")
        let analysis = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(analysis.output.contains("; 12 findings, 1 needs manual action. Nothing was changed"), "\(analysis.output.suffix(300))")
        #expect(!execution.output.contains("Mark addresses allocated after the backup"), "the next phase must not run")
        // A re-run continues at that phase: the finished one analyzes clean.
        let rerun = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--yes"])
        #expect(rerun.status == 3)
        #expect(rerun.output.contains("✓ Terminate stale requests"))
        #expect(!rerun.output.contains("db.exec(\"        UPDATE io_requests"), "the finished phase is not applied twice")
    }
}

/// The same synchronization with the management database on PostgreSQL (the server the test
/// command starts: Tests/Support/with-postgres.sh).
@Suite("phasekit run sync on PostgreSQL", .serialized)
struct SyncOnPostgresTests {
    static let summary = """
        for _, sql in ipairs{
          "SELECT count(*) FROM io_requests WHERE state = 'terminated'",
          "SELECT count(*) FROM io_services",
          "SELECT count(*) FROM ip_addresses WHERE state = 'allocated'",
          "SELECT count(*) FROM rm_group_members",
          "SELECT count(*) FROM rm_recovery_groups",
          "SELECT count(*) FROM rm_logical_servers",
        } do print(sql, db.value(sql)) end
        """

    @Test func syncOnPostgreSQLEndsWithTheSameDatabaseAsOnSQLite() throws {
        guard let url = ProcessInfo.processInfo.environment["PHASEKIT_TEST_POSTGRES_URL"] else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("PHASEKIT_TEST_POSTGRES_URL is not set in CI: run the suite through Tests/Support/with-postgres.sh (make test)")
            }
            return
        }
        let script = try CLITests.script(Self.summary)
        var summaries: [String] = []
        for database in [nil, url] {
            let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-pgsync-\(UUID().uuidString)").path
            defer { CrashRecoveryTests.dispose(site) }
            #expect(try CrashRecoveryTests.phasekit(["sample-site", site] + (database.map { ["--database", $0] } ?? [])).status == 0)
            #expect(try CLITests.phasekit(["run", "sync", "--site", site]).status == 2)
            let execution = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--yes"])
            #expect(execution.status == 0, "\(database ?? "sqlite"): \(execution.output.suffix(400))")
            #expect(try CLITests.phasekit(["run", "sync", "--site", site]).status == 0)
            summaries.append(try CLITests.phasekit(["run", script, "--site", site]).output)
        }
        // 8 stale requests terminated by IO phase 1, plus the one terminated before the backup.
        #expect(summaries[0].contains("io_requests WHERE state = 'terminated'\t9"))
        #expect(summaries[0] == summaries[1])
    }
}
