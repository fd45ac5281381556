import Foundation
import TestSupport
import Testing

/// The journal and the database under a full disk, a damaged journal and a corrupt database, on
/// the built binary.
@Suite("Durability: the journal, a full disk and a corrupt database (built binary)", .serialized)
struct DurabilityAttackTests {
    @Test func aFullDiskStopsTheExecutionBeforeAnyChangeAndLeavesNoHalfWrittenJournal() throws {
        let disk = try SmallFileSystem(megabytes: 2)
        defer { disk.remove() }
        let site = try ProcedureSite(in: disk.mountPoint)
        try site.addProcedure("fill", steps: [ProcedureSite.marking("one"), ProcedureSite.marking("two")])
        let before = try site.marks()
        try disk.fill()

        let run = try LimitedChild.run(["run", "fill", "--site", site.directory, "--execute", "--yes"] + LimitedChild.limitFlags)
        #expect(run.status == 1, "\(run.text)")
        #expect(run.text.contains("No space left on device"), "\(run.text)")
        #expect(run.text.contains(site.journalDirectory), "the message names the journal: \(run.text)")
        #expect(!run.text.contains("Error Domain="), "a raw Foundation error: \(run.text)")
        disk.free()
        #expect(try site.marks() == before, "nothing was applied")
        #expect(!FileManager.default.fileExists(atPath: site.directory + "/one.txt"))
        let journal = (try? FileManager.default.contentsOfDirectory(atPath: site.journalDirectory)) ?? []
        #expect(journal.isEmpty, "left behind: \(journal)")

        let status = try LimitedChild.run(["status", "--site", site.directory])
        #expect(status.status == 0 && status.output.contains("No execution has been journaled"), "\(status.text)")
    }

    @Test func aJournalRecordThatCannotBeWrittenStopsTheRunBeforeTheNextPhase() throws {
        let disk = try SmallFileSystem(megabytes: 2)
        defer { disk.remove() }
        let site = try ProcedureSite(in: disk.mountPoint)
        // Step one, once it applies, waits until the test has filled the disk (and removed
        // hold.txt). Its long title makes its step-finished record need a new page, which the
        // full disk refuses. Step two only removes a file, which a full disk allows: it must
        // never run once a journal record was lost.
        try site.addProcedure("fill", steps: [
            """
              if not files.exists("one.txt") then files.write("one.txt", "one") end
              if phase.mode == "execute" then
                files.write("applying.txt", "now")
                while files.exists("hold.txt") do end
              end
            """,
            "  files.remove(\"victim.txt\")",
        ], titles: [String(repeating: "long title ", count: 600), "Remove the victim"])
        try "hold".write(toFile: site.directory + "/hold.txt", atomically: true, encoding: .utf8)
        try "victim".write(toFile: site.directory + "/victim.txt", atomically: true, encoding: .utf8)
        let run = try LimitedChild.run(["run", "fill", "--site", site.directory, "--execute", "--yes", "--time-limit", "30"]) { _ in
            let applying = Wait.until(30) { FileManager.default.fileExists(atPath: site.directory + "/applying.txt") }
            try disk.fill()
            unlink(site.directory + "/hold.txt")
            #expect(applying, "step one never applied")
        }
        disk.free()
        #expect(run.status == 1, "\(run.text)")
        #expect(run.text.contains("No space left on device") && run.text.contains(site.journalDirectory), "\(run.text)")
        #expect(FileManager.default.fileExists(atPath: site.directory + "/victim.txt"), "step two ran after a journal record was lost")
        #expect(!FileManager.default.fileExists(atPath: site.journalDirectory + "/latest.tmp"))
        // The journal holds whole records only: status reads it without guessing.
        let status = try LimitedChild.run(["status", "--site", site.directory])
        #expect(status.status == 0, "\(status.text)")
        #expect(!status.text.contains("No execution has been journaled"), "\(status.text)")
    }

    @Test func aJournalWithAGarbageLineIsRefusedByStatusAndResume() throws {
        let site = try ProcedureSite()
        defer { site.remove() }
        try site.addProcedure("two", steps: [ProcedureSite.marking("one"), "error('half-applied')"])
        let run = try LimitedChild.run(["run", "two", "--site", site.directory, "--execute", "--yes"])
        #expect(run.status == 1, "\(run.text)")
        let journal = try #require(site.latestJournal())
        var lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines.insert("{\"event\": garbage", at: 1)
        try lines.joined(separator: "\n").write(toFile: journal, atomically: true, encoding: .utf8)

        let status = try LimitedChild.run(["status", "--site", site.directory])
        #expect(status.status == 1, "\(status.text)")
        #expect(status.text.contains("cannot be read") && status.text.contains(journal), "\(status.text)")
        #expect(!status.text.contains("No execution has been journaled"))
        let resume = try LimitedChild.run(["resume", "--site", site.directory])
        #expect(resume.status == 1, "\(resume.text)")
        #expect(resume.text.contains("cannot be read"), "\(resume.text)")
        #expect(!resume.text.contains("Nothing to resume"))
    }

    @Test func aTornLastLineIsStillRead() throws {
        let site = try ProcedureSite()
        defer { site.remove() }
        try site.addProcedure("one", steps: [ProcedureSite.marking("one")])
        #expect(try LimitedChild.run(["run", "one", "--site", site.directory, "--execute", "--yes"]).status == 0)
        let journal = try #require(site.latestJournal())
        let handle = try #require(FileHandle(forWritingAtPath: journal))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"event\":\"step-sta".utf8))   // cut off mid-record
        try handle.close()
        let status = try LimitedChild.run(["status", "--site", site.directory])
        #expect(status.status == 0 && status.output.contains("one: finished"), "\(status.text)")
    }

    @Test func aCorruptDatabaseFailsBeforeTheFirstPhaseCommits() throws {
        let site = try ProcedureSite()
        defer { site.remove() }
        try site.addProcedure("mark", steps: [ProcedureSite.marking("one"), ProcedureSite.marking("two")])
        try SmallFileSystem.sqlite(site.directory + "/cms.db", """
            CREATE TABLE big (id INTEGER PRIMARY KEY, pad TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO big SELECT i, hex(randomblob(100)) FROM n;
            """)
        // Damage one page in the middle of `big`; `marks` (page 2) stays readable and writable.
        let database = try #require(FileHandle(forUpdatingAtPath: site.directory + "/cms.db"))
        try database.seek(toOffset: 4096 * 40)
        try database.write(contentsOf: Data(repeating: 0xA5, count: 4096))
        try database.close()

        let run = try LimitedChild.run(["run", "mark", "--site", site.directory, "--execute", "--yes"] + LimitedChild.limitFlags)
        #expect(run.status == 1, "\(run.text)")
        #expect(run.text.contains("integrity check"), "\(run.text)")
        #expect(try site.marks().isEmpty, "a phase committed to a corrupt database")
        #expect(!FileManager.default.fileExists(atPath: site.directory + "/one.txt"))
    }
}
