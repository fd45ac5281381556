import Foundation
import PhaseKit
import Samples
import Testing

/// Every rule docs/sync.md states, at its boundaries, on the built binary: each test edits a copy
/// of the sample site (database, inventory, export, site.yaml), runs one phase with `--json`,
/// checks what it plans and reports, executes it, checks the database, and analyzes again.
@Suite("sync: the rules of docs/sync.md end to end", SyncSite.scope)
struct SyncRuleTests {
    static let backup = SampleSite.backupTime        // 2026-03-14T02:00:00Z
    static let restore = SampleSite.restoredAt       // 2026-03-16T09:30:00Z

    @Test func ioPhase1TerminatesExactlyTheRequestsDueByTheRestore() throws {
        let site = try SyncSite()
        defer { site.remove() }
        try site.sql("""
            UPDATE io_requests SET scheduled_at = '\(Self.restore)' WHERE id = 1013;
            UPDATE io_requests SET scheduled_at = '2026-03-16T09:30:01Z' WHERE id = 1014;
            INSERT INTO io_requests (id, service_id, kind, state, requested_by, created_at, scheduled_at)
              VALUES (1017, 'svc-0002', 'provision', 'scheduled', 'ops', '2026-03-01T00:00:00Z', NULL),
                     (1018, 'svc-0002', 'provision', 'queued', 'ops', '2026-03-01T00:00:00Z', '2026-03-16T09:30:01Z');
            """)
        let stale = ["1007", "1008", "1009", "1010", "1011", "1012", "1013", "1017"]
        let analysis = try site.run("io/1_terminate_requests")
        #expect(analysis.status == 2)
        #expect(analysis.report.summaries(.planned).compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) } == stale)
        #expect(analysis.report.changes.count == stale.count)
        #expect(analysis.report.summaries(.manual) == [])

        let execution = try site.run("io/1_terminate_requests", execute: true)
        #expect(execution.status == 0)
        #expect(try site.sql("SELECT id FROM io_requests WHERE state = 'terminated' AND id <> 1005 ORDER BY id").map { $0[0] } == stale)
        let reasons = Dictionary(uniqueKeysWithValues: try site.sql("SELECT id, state_reason FROM io_requests WHERE state_reason IS NOT NULL")
            .map { ($0[0], $0[1]) })
        let prefix = "terminated by post-restore synchronization: "
        #expect(reasons["1007"] == prefix + "in progress when the backup of \(Self.backup) was taken")
        #expect(reasons["1013"] == prefix + "scheduled for \(Self.restore), after the backup of \(Self.backup) and before the restore")
        #expect(reasons["1017"] == prefix + "queued when the backup of \(Self.backup) was taken")
        // Never re-run, never cancelled; the others untouched.
        #expect(try site.sql("SELECT id, state FROM io_requests WHERE id IN (1001, 1004, 1014, 1015, 1016, 1018) ORDER BY id").map { $0.joined(separator: " ") }
                == ["1001 completed", "1004 failed", "1014 scheduled", "1015 scheduled", "1016 scheduled", "1018 queued"])
        #expect(try site.run("io/1_terminate_requests").report.outcome == .clean)
    }

    @Test func theRestoreAndBackupTimesAreCheckedBeforeAnyPhaseActs() throws {
        let site = try SyncSite()
        defer { site.remove() }
        let phases = ["io/1_terminate_requests", "io/2_remove_deleted_services", "io/3_mark_allocated_addresses", "rm/1_install_configuration"]
        func blocked(_ phase: String) throws -> String? {
            let run = try site.run(phase)
            guard run.status == 3, run.report.outcome == .blocked, run.report.changes.isEmpty else { return nil }
            return run.report.steps.first?.error.map { "\($0.kind): \($0.message)" }
        }
        // The restore must be strictly after the backup: equal is refused, a second later is fine.
        try site.edit("site.yaml", "restored_at: \"\(Self.restore)\"", "restored_at: \"\(Self.backup)\"")
        #expect(try blocked("io/1_terminate_requests") == "precondition: the restore (\(Self.backup)) is not after the backup (\(Self.backup))")
        try site.edit("site.yaml", "restored_at: \"\(Self.backup)\"", "restored_at: \"2026-03-14T02:00:01Z\"")
        #expect(try site.run("io/1_terminate_requests").status == 2)
        // Without restored_at, the phases that need it stop; no default is guessed.
        try site.edit("site.yaml", "restored_at: \"2026-03-14T02:00:01Z\"", "")
        for phase in phases.prefix(2) {
            #expect(try blocked(phase)?.hasPrefix("precondition: parameters.sync.restored_at must state when this server was restored") == true, "\(phase)")
        }
        // A backup_time that is not backup_info.taken_at stops every phase.
        try site.edit("site.yaml", "backup_time: \"\(Self.backup)\"", "backup_time: \"2026-03-14T02:00:01Z\"\n    restored_at: \"\(Self.restore)\"")
        for phase in phases {
            #expect(try blocked(phase)?.hasPrefix("precondition: the database was restored from the backup of \(Self.backup), not 2026-03-14T02:00:01Z") == true,
                    "\(phase)")
        }
    }

    @Test func ioPhase2RemovesTheServicesTheInventoryLacksUnlessRequestsRunAfterTheRestore() throws {
        let site = try SyncSite()
        defer { site.remove() }
        // svc-0005 and svc-0009 are gone from the inventory. A request exactly at the restore is
        // IO phase 1's (it terminates it); one a second later still runs, and blocks the removal.
        try site.sql("""
            UPDATE io_requests SET scheduled_at = '\(Self.restore)' WHERE id = 1011;
            UPDATE io_requests SET scheduled_at = '2026-03-16T09:30:01Z' WHERE id = 1012;
            """)
        let addresses = try site.sql("SELECT count(*) FROM ip_addresses WHERE allocated_to = 'svc-0005'")
        let analysis = try site.run("io/2_remove_deleted_services")
        #expect(analysis.report.summaries(.planned) == ["service svc-0005 (dev-sandbox-17) was deleted after the backup"])
        #expect(analysis.report.summaries(.manual) == ["service svc-0009 (qa-regression-3) still has 1 pending request(s)"])
        let review = try site.read("state/review/io-deleted-services.txt")
        #expect(review.split(separator: "\n").filter { $0.hasPrefix("*") }.map { String($0.split(separator: " ")[1]) }
                == ["REVIEWED", "svc-0005", "svc-0009"], "the inventory proposes exactly the services it lacks")
        // svc-0011 exists only in the inventory: logged, never created.
        #expect(analysis.report.steps.first?.log.contains { $0.contains("svc-0011") } == true)

        let execution = try site.run("io/2_remove_deleted_services", execute: true)
        #expect(execution.status == 3, "the pending request of svc-0009 is still an operator's")
        #expect(addresses != [["0"]])
        #expect(try site.sql("SELECT count(*) FROM ip_addresses WHERE allocated_to = 'svc-0005' OR (state = 'free' AND allocated_to IS NOT NULL)") == [["0"]])
        #expect(try site.sql("SELECT count(*) FROM io_service_tiers WHERE service_id = 'svc-0005'") == [["0"]])
        #expect(try site.sql("SELECT id FROM io_services WHERE id IN ('svc-0005', 'svc-0009', 'svc-0011') ORDER BY id") == [["svc-0009"]])
        #expect(try site.sql("SELECT count(*) FROM io_requests WHERE service_id = 'svc-0005'") == [["1"]], "requests are history")

        // The operator decides svc-0009 still exists: removing its mark resolves the phase.
        try site.edit("state/review/io-deleted-services.txt", "* svc-0009 ", "  svc-0009 ")
        #expect(try site.run("io/2_remove_deleted_services").report.outcome == .clean)
    }

    @Test func ioPhase2NeverRemovesAServiceTheInventoryListsAndProposesNothingWithoutAUsableInventory() throws {
        let site = try SyncSite()
        defer { site.remove() }
        _ = try site.run("io/2_remove_deleted_services")
        try site.edit("state/review/io-deleted-services.txt", "  svc-0003 ", "* svc-0003 ")
        let marked = try site.run("io/2_remove_deleted_services")
        #expect(marked.report.summaries(.manual) == ["service svc-0003 (mail-relay) is marked as deleted but the live inventory lists it"])
        #expect(marked.report.summaries(.planned).count == 2, "the two services really deleted are still removed")

        let other = try SyncSite()
        defer { other.remove() }
        try other.edit("inventory/services.json", "{\"id\": \"svc-0004\", ", "{")
        let unusable = try other.run("io/2_remove_deleted_services")
        #expect(unusable.report.changes.isEmpty)
        #expect(unusable.report.summaries(.manual) == ["mark the services deleted after the backup in state/review/io-deleted-services.txt"])
        #expect(try !other.read("state/review/io-deleted-services.txt").split(separator: "\n").contains { $0.hasPrefix("*") })
    }

    /// Addresses released and allocated again after the backup: the inventory's owner wins when
    /// its allocation is after the backup; at (or before) the backup the sources contradict each
    /// other and an operator decides. The same owner with another time is left alone.
    @Test func ioPhase3RecordsTheNewOwnerOfAddressesReallocatedAfterTheBackup() throws {
        let site = try SyncSite()
        defer { site.remove() }
        let file = "inventory/addresses.csv"
        try site.edit(file, "10.20.0.7,svc-0002,2026-02-11T09:00:00Z", "10.20.0.7,svc-0003,2026-03-14T02:00:01Z")
        try site.edit(file, "10.20.0.13,svc-0003,2026-01-12T10:00:00Z", "10.20.0.13,svc-0001,\(Self.backup)")
        try site.edit(file, "10.20.0.1,svc-0001,2026-01-10T08:00:00Z", "10.20.0.1,svc-0001,2026-03-15T00:00:00Z")
        try site.write(file, try site.read(file) + "10.20.0.2,svc-0004,2026-03-15T01:00:00Z\n")   // svc-0005's before the backup

        let analysis = try site.run("io/3_mark_allocated_addresses")
        #expect(analysis.report.summaries(.planned) == [
            "120 address(es) allocated after the backup are free in the database",
            "address 10.20.0.2 was re-allocated after the backup: svc-0005 → svc-0004",
            "address 10.20.0.7 was re-allocated after the backup: svc-0002 → svc-0003",
        ])
        #expect(analysis.report.summaries(.manual) == ["address 10.20.0.13 has two owners: svc-0003 in the database, svc-0001 in the inventory"])
        #expect(analysis.report.changes.count == 2, "one statement marks, one statement corrects owners")

        let execution = try site.run("io/3_mark_allocated_addresses", execute: true)
        #expect(execution.status == 3, "the contradiction is left to an operator")
        let query = "SELECT address, allocated_to, allocated_at FROM ip_addresses WHERE address IN ('10.20.0.1', '10.20.0.2', '10.20.0.7', '10.20.0.13') ORDER BY address"
        #expect(try site.sql(query).map { $0.joined(separator: " ") } == [
            "10.20.0.1 svc-0001 2026-01-10T08:00:00Z", "10.20.0.13 svc-0003 2026-01-12T10:00:00Z",
            "10.20.0.2 svc-0004 2026-03-15T01:00:00Z", "10.20.0.7 svc-0003 2026-03-14T02:00:01Z",
        ])
        // The operator confirms svc-0001 took the address after the backup: it is corrected too.
        try site.edit(file, "10.20.0.13,svc-0001,\(Self.backup)", "10.20.0.13,svc-0001,2026-03-15T12:00:00Z")
        let resolved = try site.run("io/3_mark_allocated_addresses", execute: true)
        #expect(resolved.report.summaries(.planned) == ["address 10.20.0.13 was re-allocated after the backup: svc-0003 → svc-0001"])
        #expect(resolved.status == 0)
        #expect(try site.run("io/3_mark_allocated_addresses").report.outcome == .clean)
    }

    /// One issue per address for the first 100 of a kind, then one issue for the rest.
    @Test func ioPhase3ReportsAtMostAHundredAddressesOneByOne() throws {
        let site = try SyncSite()
        defer { site.remove() }
        // In the database, other owners than the inventory's (whose times are before the backup).
        func disown(_ count: Int) throws {
            try site.sql("""
                UPDATE ip_addresses SET allocated_to = 'svc-0099' WHERE address IN (
                  SELECT address FROM ip_addresses WHERE state = 'allocated'
                     AND allocated_to NOT IN ('svc-0099', 'svc-0005', 'svc-0009')   -- in use (not the deleted services')
                   ORDER BY address LIMIT \(count))
                """)
        }
        try disown(100)
        let hundred = try site.run("io/3_mark_allocated_addresses").report.summaries(.manual)
        #expect(hundred.count == 100)
        #expect(hundred.allSatisfy { $0.contains(" has two owners: svc-0099 in the database, svc-") })
        try disown(1)
        let more = try site.run("io/3_mark_allocated_addresses").report.summaries(.manual)
        #expect(more.count == 101)
        #expect(more.last == "1 more address(es) have another owner in the inventory since before the backup")
    }

    @Test func ioPhase3RefusesAnInventoryThatContradictsItselfOrCannotBeRead() throws {
        let site = try SyncSite()
        defer { site.remove() }
        let file = "inventory/addresses.csv"
        let inventory = try site.read(file)
        try site.write(file, inventory + "10.20.0.7,svc-0004,2026-03-15T01:00:00Z\n")
        let twice = try site.run("io/3_mark_allocated_addresses")
        #expect(twice.report.changes.isEmpty)
        #expect(twice.report.summaries(.manual) == ["1 address(es) are listed more than once in inventory/addresses.csv"])
        #expect(twice.report.summaries(.planned) == [])

        let lines = inventory.split(separator: "\n", omittingEmptySubsequences: false).count
        try site.write(file, inventory + "10.20.0.9,svc-0004\n")
        let malformed = try site.run("io/3_mark_allocated_addresses")
        #expect(malformed.report.changes.isEmpty)
        #expect(malformed.report.summaries(.manual).first?.hasPrefix("cannot read the addresses in use: inventory/addresses.csv:\(lines):") == true,
                "\(malformed.report.summaries(.manual))")

        // Outside every pool: an operator's, while the pool addresses are still marked. Allocated
        // but not in use (the 6 the services deleted after the backup held): left as they are, and counted.
        try site.write(file, inventory + "192.168.77.10,svc-0001,2026-03-15T10:00:00Z\n")
        let outside = try site.run("io/3_mark_allocated_addresses")
        #expect(outside.report.summaries(.manual) == ["1 address(es) in use belong to no address pool"])
        #expect(outside.report.changes.count == 1)
        #expect(outside.report.steps.first?.log.contains { $0.hasSuffix("6 allocated in the database but not in use, left as they are") } == true)
    }

    @Test func rmPhase1InstallsOnlyAnExportTakenAfterTheBackupAndConsistent() throws {
        let site = try SyncSite()
        defer { site.remove() }
        let file = "exports/rm-config.json"
        let export = try site.read(file)
        func refusal() throws -> String? {
            let run = try site.run("rm/1_install_configuration")
            guard run.report.changes.isEmpty, run.report.summaries(.planned).isEmpty else { return nil }
            return run.report.summaries(.manual).first
        }
        try site.write(file, export.replacingOccurrences(of: SampleSite.exportTime, with: Self.backup))
        #expect(try refusal()?.contains("was exported at \(Self.backup), not after the backup of \(Self.backup)") == true)
        try site.write(file, export.replacingOccurrences(of: SampleSite.exportTime, with: "2026-03-14T02:00:01Z"))
        #expect(try site.run("rm/1_install_configuration").report.changes.isEmpty == false, "a second after the backup is recent enough")
        try site.write(file, export.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2"))
        #expect(try refusal()?.hasSuffix("not an rm-config-export version 1 file") == true)
        try site.write(file, export.replacingOccurrences(of: "{\"logical_server\": \"ls-0102\", \"priority\": 2}", with: "{\"logical_server\": \"ls-0199\", \"priority\": 2}"))
        #expect(try refusal()?.hasSuffix("group rg-01 protects ls-0199, which is not among its logical_servers") == true)
        try site.write(file, export.replacingOccurrences(of: "\"failover_policy\": \"automatic\",", with: ""))
        #expect(try refusal()?.hasSuffix("recovery_groups[1] has no string 'failover_policy'") == true)
    }

    /// Execution makes the database's RM configuration equal to the export.
    @Test func rmPhase1MakesTheDatabaseEqualToTheExport() throws {
        let site = try SyncSite()
        defer { site.remove() }
        let export = try #require(try JSONSerialization.jsonObject(with: Data(try site.read("exports/rm-config.json").utf8)) as? [String: Any])
        let servers = (export["logical_servers"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "") \($0["name"] ?? "") \($0["host"] ?? "")" }.sorted()
        let groups = export["recovery_groups"] as? [[String: Any]] ?? []
        let members = groups.flatMap { group in
            (group["members"] as? [[String: Any]] ?? []).map { "\(group["id"] ?? "") \($0["logical_server"] ?? "") \($0["priority"] ?? "")" }
        }.sorted()
        let analysis = try site.run("rm/1_install_configuration")
        #expect(analysis.report.summaries(.manual) == [])
        let deleted = analysis.report.issues.first { $0.summary == "protected logical server ls-0103 (erp-batch-01) was deleted after the backup" }
        #expect(deleted?.resolution == .planned)
        #expect(deleted?.detail == "the synchronization removes it from recovery group rg-01 (ERP production)")
        #expect(analysis.report.summaries(.planned).contains("recovery group rg-04 (Legacy reporting) was deleted after the backup"))

        #expect(try site.run("rm/1_install_configuration", execute: true).status == 0)
        #expect(try site.sql("SELECT id || ' ' || name || ' ' || host FROM rm_logical_servers ORDER BY 1").map { $0[0] } == servers)
        #expect(try site.sql("SELECT group_id || ' ' || logical_server_id || ' ' || priority FROM rm_group_members ORDER BY 1").map { $0[0] } == members)
        #expect(try site.sql("SELECT id FROM rm_recovery_groups ORDER BY id").map { $0[0] } == groups.compactMap { $0["id"] as? String }.sorted())
        // A changed or created group carries the export's time (RM rebuilds its failover context).
        #expect(try site.sql("SELECT id, updated_at FROM rm_recovery_groups WHERE id IN ('rg-01', 'rg-06') ORDER BY id")
                == [["rg-01", SampleSite.exportTime], ["rg-06", SampleSite.exportTime]])
        // The member of the deleted group rg-04 stays, unprotected.
        #expect(try site.sql("SELECT count(*) FROM rm_logical_servers WHERE id = 'ls-0109'") == [["1"]])
        #expect(try site.sql("SELECT count(*) FROM rm_group_members WHERE logical_server_id = 'ls-0109'") == [["0"]])
        #expect(try site.run("rm/1_install_configuration").report.outcome == .clean)
    }
}
