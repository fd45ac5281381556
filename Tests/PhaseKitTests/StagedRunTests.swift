import Databases
import Foundation
import Testing
@testable import PhaseKit

@Suite("A run confirmed up front is staged, and committed when it only writes the database")
struct StagedRunTests {
    func stage(_ fixture: SiteFixture, _ source: String) throws -> StagedRun {
        let path = fixture.directory + "/staged-\(UUID().uuidString).lua"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return StagedRun(path: path, options: RunOptions(intent: .analyze, site: fixture.site, procedure: "sync"))
    }

    @Test func databaseWritesOnlyAreCommittedAsTheExecution() throws {
        let fixture = try SiteFixture()
        // The INSERT would fail on its primary key if the script ran a second time after the commit.
        let staged = try stage(fixture, """
            db.exec("INSERT INTO addresses VALUES ('10.0.0.3', 'free')")
            local n = db.exec("UPDATE addresses SET state = 'allocated' WHERE state = 'free'")
            phase.issue{ summary = n .. " address(es) to mark", resolution = "planned" }
            phase.log(phase.mode, n)
            """)
        #expect(staged.plan.outcome == .changes)
        #expect(staged.plan.changes.map(\.status) == [.planned, .planned])
        #expect(try fixture.query("SELECT count(*) FROM addresses") == [[.integer(2)]], "the stage reaches nothing before execute()")
        #expect(staged.commitIsTheExecution)
        let applied = staged.execute()
        #expect(applied.outcome == .applied)
        #expect(applied.mode == .execute)
        #expect(applied.changes.map(\.status) == [.applied, .applied])
        #expect(applied.steps.first?.state == .done)
        #expect(applied.steps.first?.log == ["execute\t2"])
        #expect(try fixture.query("SELECT ip, state FROM addresses ORDER BY ip") == [
            [.text("10.0.0.1"), .text("allocated")], [.text("10.0.0.2"), .text("allocated")], [.text("10.0.0.3"), .text("allocated")],
        ])
    }

    @Test func scriptsSeeTheExecutionTheStageStandsFor() throws {
        let fixture = try SiteFixture()
        let staged = try stage(fixture, """
            return { run = function(ctx) phase.log(phase.mode, ctx.mode, ctx.intent) end }
            """)
        #expect(staged.plan.mode == .analyze)
        #expect(staged.plan.steps.first?.log == ["execute\texecute\texecute"])
        staged.discard()
    }

    @Test func anyOtherChangeRollsTheStageBackAndExecutesForReal() throws {
        let fixture = try SiteFixture()
        let staged = try stage(fixture, """
            db.exec("INSERT INTO addresses VALUES ('10.0.0.3', 'free')")
            files.write("conf/marker.txt", "written")
            """)
        #expect(!staged.commitIsTheExecution)
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/conf/marker.txt"))
        let applied = staged.execute()
        #expect(applied.outcome == .applied, "\(String(describing: applied.error))")
        #expect(applied.changes.map(\.binding) == ["db.exec", "files.write"])
        #expect(try String(contentsOfFile: fixture.directory + "/conf/marker.txt", encoding: .utf8) == "written")
        #expect(try fixture.query("SELECT count(*) FROM addresses WHERE ip = '10.0.0.3'") == [[.integer(1)]])
    }

    @Test func aFailedStageIsNeverCommitted() throws {
        let fixture = try SiteFixture()
        let before = try fixture.snapshot()
        let staged = try stage(fixture, """
            db.exec("UPDATE addresses SET state = 'gone'")
            error("bad input on line 2")
            """)
        #expect(staged.plan.outcome == .error)
        #expect(!staged.commitIsTheExecution)
        staged.discard()
        #expect(try fixture.snapshot() == before)
        #expect(try fixture.query("SELECT count(*) FROM addresses WHERE state = 'gone'") == [[.integer(0)]])
    }

    @Test func aManualIssueStillBlocksAfterTheCommit() throws {
        let fixture = try SiteFixture()
        let staged = try stage(fixture, """
            db.exec("UPDATE addresses SET state = 'allocated' WHERE ip = '10.0.0.1'")
            phase.issue{ summary = "an address outside every pool", resolution = "manual" }
            """)
        let applied = staged.execute()
        #expect(applied.outcome == .blocked)
        #expect(applied.steps.first?.state == .issues)
        #expect(try fixture.query("SELECT state FROM addresses WHERE ip = '10.0.0.1'") == [[.text("allocated")]])
    }

    @Test func anUnexecutedStageLeavesTheDatabaseUnlocked() throws {
        let fixture = try SiteFixture()
        var staged: StagedRun? = try stage(fixture, "db.exec(\"UPDATE addresses SET state = 'x'\")")
        #expect(staged?.plan.outcome == .changes)
        staged = nil
        let connection = try SQLiteConnection(path: fixture.directory + "/cms.db")
        defer { connection.close() }
        #expect(try connection.execute("UPDATE addresses SET state = 'free'", []).affectedRows == 2)
    }
}
