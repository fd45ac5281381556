import Foundation
import LuaRuntime
import Testing
@testable import PhaseKit
@testable import Samples

/// The sample site: a loadable site.yaml, the database at backup time, and sources that differ.
@Suite struct SampleSiteTests {
    @Test func siteYAMLLoadsWithServicesVolumesAndSyncParameters() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let site = try SiteConfiguration.load(directory: fixture.directory)
        #expect(site.name == "cms-restored")
        #expect(site.database == "sqlite:cms.db")
        let services = try #require(site.defaultServer.services)
        #expect(services.backend == .process)
        #expect(services.definitions.map(\.name) == ["cms-database", "cms-directory", "io-orchestrator", "rm-agent"])
        #expect(services.definitions.filter { $0.requiredFor.contains("sync") }.map(\.name) == ["cms-database", "cms-directory"])
        #expect(services.definitions.allSatisfy { $0.command.first == "/bin/sh" })
        #expect(site.defaultServer.volumes?.path == fixture.directory + "/volumes")
        let sync = try #require(site.parameters["sync"])
        #expect(sync["backup_time"].stringValue == SampleSite.backupTime)
        #expect(sync["restored_at"].stringValue == SampleSite.restoredAt)
        #expect(sync["inventory"].stringValue == "inventory")
        #expect(sync["rm_export"].stringValue == "exports/rm-config.json")
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/state"), "writing a site starts nothing")
    }

    @Test func databaseHoldsTheWorldAtBackupTime() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        #expect(try fixture.rows("SELECT taken_at FROM backup_info") == [[SampleSite.backupTime]])
        #expect(try fixture.rows("SELECT id FROM io_services ORDER BY id").map { $0[0] }
                == (1...10).map { String(format: "svc-%04d", $0) })
        #expect(try fixture.count("SELECT count(*) FROM io_service_tiers") == 14)
        #expect(try fixture.rows("SELECT state, count(*) FROM io_requests GROUP BY state ORDER BY state") == [
            ["completed", "4"], ["failed", "1"], ["in_progress", "3"], ["queued", "1"], ["scheduled", "6"], ["terminated", "1"],
        ])
        #expect(try fixture.count("SELECT count(*) FROM io_requests WHERE state = 'scheduled' AND scheduled_at > '\(SampleSite.restoredAt)'") == 2)
        #expect(try fixture.count("SELECT count(*) FROM ip_pools") == 8)
        #expect(try fixture.rows("SELECT state, count(*) FROM ip_addresses GROUP BY state ORDER BY state") == [["allocated", "186"], ["free", "1814"]])
        #expect(try fixture.count("SELECT count(*) FROM ip_addresses WHERE allocated_to IN ('svc-0005', 'svc-0009')") == 6)
        #expect(try fixture.count("SELECT count(*) FROM rm_logical_servers") == 12)
        #expect(try fixture.rows("SELECT id FROM rm_recovery_groups ORDER BY id").map { $0[0] } == ["rg-01", "rg-02", "rg-03", "rg-04", "rg-05"])
        #expect(try fixture.count("SELECT count(*) FROM rm_group_members") == 11)
    }

    @Test func sourcesOfTruthTellWhatChangedAfterTheBackup() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let services = try #require(JSONSerialization.jsonObject(with: Data(try fixture.read("inventory/services.json").utf8)) as? [String: Any])
        let ids = try #require(services["services"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(!ids.contains("svc-0005") && !ids.contains("svc-0009") && ids.contains("svc-0011"))
        #expect(ids.count == 9)

        let lines = try fixture.read("inventory/addresses.csv").split(separator: "\n")
        #expect(lines[1] == "address,service,allocated_at")
        #expect(lines.count == 2 + 300)
        let inUse = Set(lines.dropFirst(2).map { String($0.split(separator: ",")[0]) })
        let free = Set(try fixture.rows("SELECT address FROM ip_addresses WHERE state = 'free'").map { $0[0] })
        #expect(inUse.intersection(free).count == 120, "two in five addresses in use were allocated after the backup")

        let export = try #require(JSONSerialization.jsonObject(with: Data(try fixture.read("exports/rm-config.json").utf8)) as? [String: Any])
        #expect(export["exported_at"] as? String == SampleSite.exportTime)
        let groups = try #require(export["recovery_groups"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(groups == ["rg-01", "rg-02", "rg-03", "rg-05", "rg-06"])
        #expect(try #require(export["logical_servers"] as? [Any]).count == 11)
    }

    @Test func writingTwiceGivesTheSameContent() throws {
        let first = try SyncFixture(addresses: 600, inUse: 50)
        let second = try SyncFixture(addresses: 600, inUse: 50)
        defer { first.remove(); second.remove() }
        for file in ["site.yaml", "inventory/services.json", "inventory/addresses.csv", "exports/rm-config.json"] {
            #expect(try first.read(file) == second.read(file), "\(file) differs")
        }
        for table in ["io_requests", "io_services", "io_service_tiers", "ip_pools", "ip_addresses", "rm_group_members"] {
            #expect(try first.rows("SELECT * FROM \(table) ORDER BY 1, 2") == second.rows("SELECT * FROM \(table) ORDER BY 1, 2"))
        }
        // Rewriting a site in place replaces the database instead of failing on existing tables.
        try SampleSite.write(to: first.directory, addresses: 600, inUse: 50)
        #expect(try first.count("SELECT count(*) FROM ip_addresses") == 600)
    }

    @Test func sizesScaleAndImpossibleOnesAreRefused() throws {
        let fixture = try SyncFixture(addresses: 10_000, inUse: 2_500)
        defer { fixture.remove() }
        #expect(try fixture.count("SELECT count(*) FROM ip_addresses") == 10_000)
        #expect(try fixture.count("SELECT count(*) FROM ip_pools") == 40)
        #expect(try fixture.count("SELECT count(*) FROM ip_addresses WHERE state = 'allocated'") == 1_500 + 6)
        #expect(try fixture.read("inventory/addresses.csv").split(separator: "\n").count == 2 + 2_500)
        for (addresses, inUse) in [(99, 10), (1000, 9), (1000, 501)] {
            #expect(throws: PhaseKitError.self) { try SampleSite.write(to: fixture.directory + "/bad", addresses: addresses, inUse: inUse) }
        }
    }
}
