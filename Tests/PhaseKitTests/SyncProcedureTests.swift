import Foundation
import LuaRuntime
import Testing
@testable import PhaseKit
@testable import Samples

/// The sync steps on a fresh sample site: what analysis plans, that it changes nothing, and that
/// execution in order leaves a database on which a second analysis finds nothing.
@Suite struct SyncProcedureTests {
    /// Expected (changes, planned issues) of each step's analysis on a fresh sample site.
    static let planned: [String: (changes: Int, issues: Int)] = [
        "io/1_terminate_requests": (8, 8),
        "io/2_remove_deleted_services": (6, 2),
        "io/3_mark_allocated_addresses": (1, 1),
        "rm/1_install_configuration": (17, 10),
    ]

    @Test func analysisPlansWorkInEveryPhaseAndChangesNothing() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let before = try fixture.databaseBytes()
        for step in SyncFixture.steps {
            let report = try fixture.run(step, .analyze)
            let expected = try #require(Self.planned[step])
            #expect(report.error == nil, "\(step): \(report.error?.message ?? "")")
            #expect(report.outcome == .changes, "\(step)")
            #expect(report.changes.count == expected.changes, "\(step): \(report.changes.map(\.summary))")
            #expect(report.changes.allSatisfy { $0.status == .planned && $0.binding == "db.exec" })
            #expect(report.issues(.planned).count == expected.issues, "\(step): \(report.issues.map(\.summary))")
            #expect(report.issues(.manual).isEmpty, "\(step): \(report.issues(.manual).map(\.summary))")
            let log = report.step?.log ?? []
            #expect(log.count >= 1, "\(step) logs what it did")
        }
        #expect(try fixture.databaseBytes() == before, "analysis must not change the database")
        let review = try fixture.read("state/review/io-deleted-services.txt")
        let marked = review.split(separator: "\n").filter { $0.hasPrefix("*") }.map { String($0.split(separator: " ")[1]) }
        #expect(marked == ["REVIEWED", "svc-0005", "svc-0009"], "the inventory proposes the marks")
        #expect(review.split(separator: "\n").filter { !$0.hasPrefix("#") }.count == 11)
    }

    @Test func addressesAreMarkedInOneSetBasedStatement() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let report = try fixture.run("io/3_mark_allocated_addresses", .analyze)
        let change = try #require(report.changes.first)
        #expect(report.changes.count == 1)
        guard case .string(let sql)? = change.arguments.first else {
            Issue.record("db.exec without SQL: \(change.summary)")
            return
        }
        #expect(sql.contains("FROM sync_live_addresses"))
        #expect(change.result == [.int(120)], "the analysis result is the affected row count")
    }

    @Test func executionInOrderLeavesNothingToDoAndTheExpectedDatabase() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        for step in SyncFixture.steps {
            let applied = try fixture.run(step, .execute)
            #expect(applied.outcome == .applied, "\(step): \(applied.error?.message ?? "") \(applied.issues(.manual).map(\.summary))")
            #expect(applied.changes.allSatisfy { $0.status == .applied })
            let again = try fixture.run(step, .analyze)
            #expect(again.outcome == .clean, "\(step) after execution: \(again.changes.map(\.summary)) \(again.issues.map(\.summary))")
        }
        for step in SyncFixture.steps {
            #expect(try fixture.run(step, .analyze).outcome == .clean, "\(step) after the whole procedure")
        }

        // IO 1: the eight stale requests terminated with their reason; the two later ones untouched.
        #expect(try fixture.rows("SELECT id FROM io_requests WHERE state_reason LIKE 'terminated by post-restore%' ORDER BY id")
                .map { $0[0] } == (1007...1014).map(String.init))
        #expect(try fixture.rows("SELECT id, state FROM io_requests WHERE id IN (1015, 1016) ORDER BY id") == [["1015", "scheduled"], ["1016", "scheduled"]])
        #expect(try fixture.rows("SELECT state, finished_at FROM io_requests WHERE id = 1005") == [["terminated", "2026-02-20T18:40:00Z"]])
        #expect(try fixture.count("SELECT count(*) FROM io_requests WHERE state IN ('in_progress', 'queued')") == 0)

        // IO 2: the two deleted services, their tiers and their address allocations are gone.
        #expect(try fixture.count("SELECT count(*) FROM io_services") == 8)
        #expect(try fixture.count("SELECT count(*) FROM io_services WHERE id IN ('svc-0005', 'svc-0009')") == 0)
        #expect(try fixture.count("SELECT count(*) FROM io_service_tiers WHERE service_id IN ('svc-0005', 'svc-0009')") == 0)
        #expect(try fixture.count("SELECT count(*) FROM ip_addresses WHERE allocated_to IN ('svc-0005', 'svc-0009')") == 0)

        // IO 3: exactly the addresses in use are allocated, each to the service the inventory names.
        let inventory = try fixture.read("inventory/addresses.csv").split(separator: "\n").dropFirst(2).map {
            $0.split(separator: ",").prefix(2).map(String.init)
        }
        #expect(try fixture.rows("SELECT address, allocated_to FROM ip_addresses WHERE state = 'allocated' ORDER BY address")
                == inventory.sorted { $0[0] < $1[0] })
        #expect(try fixture.count("SELECT count(*) FROM ip_addresses WHERE state = 'free' AND allocated_to IS NOT NULL") == 0)

        // RM 1: the database's RM configuration equals the export.
        #expect(try fixture.rows("SELECT id, name, host FROM rm_logical_servers ORDER BY id")
                == (try SampleData.load()).currentLogicalServers.map { [$0.id, $0.name, $0.host] }.sorted { $0[0] < $1[0] })
        #expect(try fixture.rows("SELECT id, name, recovery_site, failover_policy FROM rm_recovery_groups ORDER BY id")
                == (try SampleData.load()).currentGroups.map { [$0.id, $0.name, $0.recoverySite, $0.failoverPolicy] })
        #expect(try fixture.rows("SELECT group_id, logical_server_id, priority FROM rm_group_members ORDER BY 1, 2")
                == (try SampleData.load()).currentGroups.flatMap { group in group.members.map { [group.id, $0.server, String($0.priority)] } }
                    .sorted { ($0[0], $0[1]) < ($1[0], $1[1]) })
        #expect(try fixture.rows("SELECT id FROM rm_recovery_groups WHERE updated_at = '\(SampleSite.exportTime)' ORDER BY id").map { $0[0] }
                == ["rg-01", "rg-02", "rg-03", "rg-05", "rg-06"])
    }

    @Test func aWrongBackupStopsThePhaseBeforeAnyChange() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let report = try fixture.run("io/1_terminate_requests", .analyze) { $0["backup_time"] = .text("2026-03-13T02:00:00Z") }
        #expect(report.outcome == .blocked)
        #expect(report.error?.kind == .precondition)
        #expect(report.changes.isEmpty)
        let unset = try fixture.run("io/1_terminate_requests", .analyze) { $0["restored_at"] = .nil }
        #expect(unset.outcome == .blocked, "without restored_at nothing is guessed")
        #expect(unset.changes.isEmpty)
    }
}
