import Foundation
import LuaRuntime
import Testing
@testable import PhaseKit
@testable import Replication
@testable import Samples

@Suite("configure procedure", .serialized)
struct ConfigureProcedureTests {
    /// Rows (`NN` or `NN:server`) each change kind runs; every other row is skipped. Steps 14 and
    /// 15 need the services module and are checked only when this build has one.
    static let selections: [String: [String]] = [
        "volume_added": ["01", "02:production", "02:recovery1", "03:production", "04:production", "04:recovery1", "10:production", "10:recovery1", "11:production",
                         "11:recovery1", "13:production", "13:recovery1", "14:production", "15:recovery1", "19:production", "19:recovery1", "20:production", "20:recovery1"],
        "volume_removed": ["01", "02:production", "02:recovery1", "03:production", "04:production", "04:recovery1", "05:recovery1",
                           "08:recovery1", "10:production", "10:recovery1", "11:production", "11:recovery1", "12:production", "12:recovery1", "14:production", "15:recovery1", "17:production",
                           "17:recovery1", "19:production", "19:recovery1", "20:production", "20:recovery1"],
        "volume_resized": ["01", "02:production", "02:recovery1", "03:production", "04:production", "04:recovery1", "05:recovery1",
                           "08:recovery1", "10:production", "10:recovery1", "11:production", "11:recovery1", "14:production", "15:recovery1", "19:production",
                           "19:recovery1", "20:production", "20:recovery1"],
        "server_added": ["01", "02:production", "02:recovery1", "02:recovery2", "03:production", "10:production", "10:recovery1", "11:production", "11:recovery1",
                         "11:recovery2", "12:production", "12:recovery1", "12:recovery2", "14:production", "15:recovery1", "15:recovery2", "16:recovery2", "18:production",
                         "18:recovery1", "18:recovery2", "20:production", "20:recovery1", "20:recovery2"],
        "server_removed": ["01", "02:production", "02:recovery1", "03:production", "07:recovery2", "10:production", "10:recovery1", "11:production", "11:recovery1",
                           "12:production", "12:recovery1", "14:production", "15:recovery1", "17:recovery2", "18:production", "18:recovery1", "18:recovery2",
                           "20:production", "20:recovery1", "20:recovery2"],
        "container_changed": ["01", "02:production", "02:recovery1", "04:production", "04:recovery1", "06:recovery1",
                              "11:production", "11:recovery1", "14:production", "15:recovery1", "19:production", "19:recovery1",
                              "20:production", "20:recovery1"],
        "snapshot_changed": ["01", "02:production", "02:recovery1", "08:recovery1", "11:production", "11:recovery1",
                             "15:recovery1", "19:recovery1", "20:production", "20:recovery1"],
        "driver_changed": ["01", "02:production", "02:recovery1", "11:production", "11:recovery1", "15:recovery1",
                           "16:recovery1", "20:production", "20:recovery1"],
        "process_changed": ["01", "02:production", "02:recovery1", "11:production", "11:recovery1", "14:production", "19:production",
                            "20:production", "20:recovery1"],
        "group_renamed": ["01", "02:production", "02:recovery1", "11:production", "11:recovery1", "14:production", "15:recovery1",
                          "18:production", "18:recovery1", "20:production", "20:recovery1"],
    ]


    @Test func procedureHasTwentyOrderedSteps() throws {
        let site = try ConfigureSite()
        defer { site.remove() }
        let catalog = ProcedureCatalog(siteRoot: nil, bundledRoot: ConfigureSite.repository + "/Scripts")
        let procedure = try catalog.procedure(named: "configure")
        #expect(procedure.title == "Configuration-change initialization")
        #expect(procedure.steps.map(\.order) == Array(1...20))
        #expect(procedure.steps.allSatisfy { $0.section == "configure" && $0.hasPredicate })
        #expect(procedure.steps.filter { $0.scope == .once }.map(\.order) == [1])
        #expect(procedure.roles == ["production", "recovery"])
        #expect(procedure.steps.filter { $0.scope == .role("production") }.map(\.order) == [3, 14])
        #expect(procedure.steps.filter { $0.scope == .role("recovery") }.map(\.order) == [5, 6, 7, 8, 9, 15])
    }

    @Test(arguments: Edits.byKind.map(\.0))
    func eachKindChoosesItsSteps(kind: String) throws {
        let site = try ConfigureSite()
        defer { site.remove() }
        let (_, saved, new) = try #require(Edits.byKind.first { $0.0 == kind })
        try site.setConfigurations(saved: saved, new: new)
        let report = try site.run(.analyze)
        #expect(report.error == nil, "\(report.error.map { "\($0)" } ?? "")")
        let expected = try #require(Self.selections[kind])
        #expect(report.ranRows == expected)
        // The planned world satisfies the verify step: analysis finds no issue.
        #expect(report.steps.flatMap(\.issues).map(\.summary) == [])
    }

    @Test func analysisOfTheSamplePlansRowsAndChangesNothing() throws {
        let site = try ConfigureSite()
        defer { site.remove() }
        let before = site.tree()
        let report = try site.run(.analyze)
        #expect(report.error == nil, "\(report.error.map { "\($0)" } ?? "")")
        #expect(report.outcome == .changes)
        #expect(site.tree() == before)
        #expect(report.ranRows == ["01", "02:production", "02:recovery1", "02:recovery2", "03:production", "04:production",
            "04:recovery1", "05:recovery1", "08:recovery1", "10:production", "10:recovery1", "11:production", "11:recovery1", "11:recovery2", "12:production", "12:recovery1", "12:recovery2", "13:production", "13:recovery1", "14:production",
            "15:recovery1", "15:recovery2", "16:recovery2", "17:production", "17:recovery1", "18:production", "18:recovery1",
            "18:recovery2", "19:production", "19:recovery1", "20:production", "20:recovery1", "20:recovery2"])
        func planned(_ row: String) -> [String] {
            report.steps.filter { step in
                let number = step.id.split(separator: "/").last.map { String($0.prefix(2)) } ?? ""
                return (step.server.map { "\(number):\($0)" } ?? number) == row
            }.flatMap(\.changes).map(\.binding)
        }
        #expect(planned("03:production") == ["volumes.delete"])
        #expect(planned("04:recovery1") == ["volumes.delete"])
        #expect(planned("05:recovery1") == ["volumes.delete", "volumes.delete"])
        #expect(planned("10:production") == ["volumes.delete"])
        #expect(planned("11:recovery2").filter { $0 == "volumes.create" }.count == 5)
        #expect(planned("17:production") == ["files.remove"])
        #expect(planned("02:recovery2") == ["files.write"])
        #expect(planned("12:recovery1") == ["volumes.untag", "volumes.tag", "files.write"])
        #expect(planned("20:production") == ["files.copy"])
        #expect(planned("19:production") == [])
        #expect(report.steps.flatMap(\.issues).isEmpty)
    }

    @Test func executionAppliesAndASecondAnalysisFindsNothing() throws {
        let site = try ConfigureSite()
        defer { site.remove() }
        let plan = try site.run(.analyze)
        let execution = try site.run(.execute)
        // Execution applies exactly what analysis planned, row by row, and reports it.
        #expect(execution.changes.map(\.summary) == plan.changes.map(\.summary))
        #expect(execution.changes.allSatisfy { $0.status == .applied })
        #expect(execution.error == nil, "\(execution.error.map { "\($0)" } ?? "")")
        #expect(execution.outcome == .applied, "\(execution.steps.flatMap(\.issues).map(\.summary))")
        #expect(try ReplicationChange.load(siteDirectory: site.directory) == nil)
        #expect(FileManager.default.contents(atPath: site.replication + "/saved.yaml") == Data(try ReplicationSample.newYAML.utf8))

        let before = site.tree()
        let again = try site.run(.analyze)
        #expect(again.outcome == .clean)
        #expect(again.steps.allSatisfy { $0.changes.isEmpty && $0.issues.isEmpty && $0.error == nil })
        #expect(site.tree() == before)

        // The pools match the new configuration.
        let new = try ReplicationConfiguration.parse(ReplicationSample.newYAML, file: "new.yaml")
        let site2 = try SiteConfiguration.load(directory: site.directory)
        for server in new.servers {
            let root = try site2.server(named: server.name).root
            let names = try FileManager.default.contentsOfDirectory(atPath: root + "/volumes")
                .filter { $0.hasSuffix(".volume.json") }.map { String($0.dropLast(".volume.json".count)) }
            var expected = Set(server.volumes.map(\.name) + [server.replicationContainer.name, server.logRecordContainer.name])
            if let volume = server.internalVolume { expected.insert(volume.name) }
            if let volume = server.snapshotContainer { expected.insert(volume.name) }
            expected.formUnion(server.snapshots.map(\.volume.name))
            // lv_archive stays as a plain volume: removing it from replication keeps its data.
            let kept: Set<String> = server.name == "recovery2" ? [] : ["lv_archive"]
            #expect(Set(names) == expected.union(kept), "\(server.name)")
            let devices = try FileManager.default.contentsOfDirectory(atPath: root + "/dev").sorted()
            #expect(devices == server.volumes.map { "rLV_\($0.name)" }.sorted(), "\(server.name)")
            let copy = FileManager.default.contents(atPath: root + "/etc/replication/group.yaml")
            #expect(copy == Data(try ReplicationSample.newYAML.utf8), "\(server.name)")
            #expect(!FileManager.default.fileExists(atPath: root + "/failover/context.json"), "\(server.name)")
        }
        let archive = FileManager.default.contents(atPath: site.directory + "/servers/production/volumes/lv_archive.volume.json")
        #expect(archive.map { String(decoding: $0, as: UTF8.self).contains("replicated") } == false)
    }
}
