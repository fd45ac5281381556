import Foundation
import Testing
@testable import PhaseKit
@testable import Samples

/// The sync steps when the sources of truth are missing, incomplete or contradict the operator.
@Suite struct SyncEdgeCaseTests {
    @Test func withoutAnInventoryTheOperatorMarksTheReviewFile() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.directory + "/inventory/services.json")
        let unmarked = try fixture.run("io/2_remove_deleted_services", .analyze)
        #expect(unmarked.changes.isEmpty)
        #expect(unmarked.issues(.manual).count == 1)
        #expect(unmarked.issues(.manual).first?.summary.contains("state/review/io-deleted-services.txt") == true)
        let file = "state/review/io-deleted-services.txt"
        var review = try fixture.read(file)
        #expect(!review.split(separator: "\n").contains { $0.hasPrefix("*") }, "nothing is proposed without an inventory")

        // The operator marks svc-0005 only; until the REVIEWED line is marked too, it is not done.
        review = review.replacingOccurrences(of: "  svc-0005 ", with: "* svc-0005 ")
        try fixture.write(file, review)
        let unsigned = try fixture.run("io/2_remove_deleted_services", .analyze)
        #expect(unsigned.issues(.manual).count == 1)
        #expect(unsigned.changes.count == 3)
        try fixture.write(file, review.replacingOccurrences(of: "  REVIEWED ", with: "* REVIEWED "))
        let marked = try fixture.run("io/2_remove_deleted_services", .analyze)
        #expect(marked.issues(.manual).isEmpty)
        #expect(marked.issues(.planned).map(\.summary) == ["service svc-0005 (dev-sandbox-17) was deleted after the backup"])
        #expect(marked.changes.count == 3)

        let applied = try fixture.run("io/2_remove_deleted_services", .execute)
        #expect(applied.outcome == .applied)
        #expect(try fixture.rows("SELECT id FROM io_services WHERE id IN ('svc-0005', 'svc-0009') ORDER BY id") == [["svc-0009"]])
        #expect(try fixture.run("io/2_remove_deleted_services", .analyze).outcome == .clean)

        #expect(try fixture.read(file).contains("* REVIEWED "), "the signature survives execution")
    }

    @Test func aLiveOrBusyServiceIsNeverRemoved() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        _ = try fixture.run("io/2_remove_deleted_services", .analyze)
        let file = "state/review/io-deleted-services.txt"
        try fixture.write(file, try fixture.read(file)
            .replacingOccurrences(of: "  svc-0003 ", with: "* svc-0003 ")   // still in the inventory
            .replacingOccurrences(of: "  svc-0008 ", with: "* svc-0008 "))  // in the inventory, request after restore
        let report = try fixture.run("io/2_remove_deleted_services", .analyze)
        #expect(report.issues(.manual).count == 2)
        #expect(report.changes.count == 6, "only the two really deleted services are removed")

        // Deleted from the inventory too, svc-0008 is still refused: request 1015 runs after the restore.
        let inventory = try fixture.read("inventory/services.json")
        let kept = inventory.split(separator: "\n").filter { !$0.contains("\"svc-0008\"") && !$0.contains("\"svc-0003\"") }
        try fixture.write("inventory/services.json", kept.joined(separator: "\n").replacingOccurrences(of: "},\n  ]", with: "}\n  ]"))
        let busy = try fixture.run("io/2_remove_deleted_services", .analyze)
        #expect(busy.error == nil, "\(busy.error?.message ?? "")")
        #expect(busy.issues(.manual).map(\.summary) == ["service svc-0008 (hr-portal) still has 1 pending request(s)"])
    }

    @Test func addressesOutsideThePoolsOrAMissingListNeedAnOperator() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        try fixture.write("inventory/addresses.csv", try fixture.read("inventory/addresses.csv") + "192.168.77.10,svc-0001,2026-03-15T10:00:00Z\n")
        let outside = try fixture.run("io/3_mark_allocated_addresses", .analyze)
        #expect(outside.issues(.manual).map(\.summary) == ["1 address(es) in use belong to no address pool"])
        #expect(outside.changes.count == 1, "the pool addresses are still planned")

        try FileManager.default.removeItem(atPath: fixture.directory + "/inventory/addresses.csv")
        let missing = try fixture.run("io/3_mark_allocated_addresses", .analyze)
        #expect(missing.changes.isEmpty)
        #expect(missing.issues(.manual).count == 1)

        try fixture.write("inventory/addresses.csv", "address,allocated_at\n10.20.0.1,2026-03-15T10:00:00Z\n")
        let wrongHeader = try fixture.run("io/3_mark_allocated_addresses", .analyze)
        #expect(wrongHeader.issues(.manual).first?.summary.contains("no column 'service'") == true)
    }

    @Test func anOldOrInconsistentExportInstallsNothing() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let export = try fixture.read("exports/rm-config.json")
        try fixture.write("exports/rm-config.json", export.replacingOccurrences(of: SampleSite.exportTime, with: "2026-03-13T09:05:00Z"))
        let old = try fixture.run("rm/1_install_configuration", .analyze)
        #expect(old.changes.isEmpty)
        #expect(old.issues(.manual).first?.summary.contains("not after the backup") == true)

        try fixture.write("exports/rm-config.json", export.replacingOccurrences(of: "\"logical_server\": \"ls-0113\"", with: "\"logical_server\": \"ls-9999\""))
        let inconsistent = try fixture.run("rm/1_install_configuration", .analyze)
        #expect(inconsistent.changes.isEmpty)
        #expect(inconsistent.issues(.manual).first?.summary.contains("ls-9999") == true)

        try fixture.write("exports/rm-config.json", String(export.dropLast(5)))
        let truncated = try fixture.run("rm/1_install_configuration", .analyze)
        #expect(truncated.changes.isEmpty)
        #expect(truncated.issues(.manual).first?.summary.contains("json:") == true)
    }
}
