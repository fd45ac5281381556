import Databases
import Foundation
import Testing

/// Attacks on the memory limit through what the host allocates for a script, each run on the
/// built binary with `--time-limit 3 --memory-limit 128`: every one must end with exit 1 and
/// "memory limit exceeded", within the time limit plus its grace, its peak resident memory below
/// the limit plus ``LimitedChild/overheadMiB``, and without a crash (never exit 134, never a signal).
@Suite("Host memory counts against the memory limit (built binary)", .serialized)
struct MemoryAttackTests {
    struct Attack: CustomStringConvertible, Sendable {
        var name: String
        var script: String
        /// Prepares the site (big files and such) before the run.
        var setup: @Sendable (String) throws -> Void = { _ in }
        /// What the run must end with: the memory limit, unless the attack is bounded otherwise.
        var message = "memory limit exceeded"
        var description: String { name }
    }

    static let attacks: [Attack] = [
        // A table is logged as `tostring` shows it (its address), so the attack passes the 2,000
        // references as arguments: each is converted, which is what must stay within the limit.
        Attack(name: "phase.log of 2,000 references to one 32 MB string", script: """
            local s = string.rep("x", 32 * 1024 * 1024)
            local t = {}
            for i = 1, 2000 do t[i] = s end
            phase.log(table.unpack(t))
            """),
        Attack(name: "print of 2,000 references to one 32 MB string", script: """
            local s = string.rep("x", 32 * 1024 * 1024)
            local t = {}
            for i = 1, 2000 do t[i] = s end
            print(table.unpack(t))
            """),
        Attack(name: "db.temp_table with large rows", script: """
            local s = string.rep("z", 1024 * 1024)
            local rows = {}
            for i = 1, 100 do rows[i] = {s, i} end
            for j = 1, 100 do db.temp_table("t" .. j, {"a", "b"}, rows) end
            """),
        Attack(name: "files.write in a loop", script: """
            local s = string.rep("y", 1024 * 1024)
            for i = 1, 100000 do files.write("out/f" .. i, s .. i) end
            """),
        Attack(name: "files.read of a 3 GB file", script: "return files.read('big.bin')", setup: { try sparse($0 + "/big.bin", gigabytes: 3) }),
        Attack(name: "many open db.rows iterators", script: """
            local open = {}
            for i = 1, 1000000 do open[i] = db.rows("SELECT 1") end
            """),
        // Our own.
        Attack(name: "db.query of a recursive CTE with wide rows", script: """
            return db.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT i, zeroblob(4096) AS pad FROM n")
            """),
        Attack(name: "files.copy of a 3 GB file", script: "files.copy('big.bin', 'copy.bin')", setup: { try sparse($0 + "/big.bin", gigabytes: 3) }),
        Attack(name: "db.import_csv of a 3 GB file", script: "db.import_csv('t', 'big.csv', {'a'})", setup: { try sparse($0 + "/big.csv", gigabytes: 3) }),
        Attack(name: "phase.issue with a huge detail table", script: """
            local s = string.rep("d", 16 * 1024 * 1024)
            local t = {}
            for i = 1, 64 do t[i] = s end
            phase.issue{ summary = "x", detail = t }
            """),
        // Warnings are cut like log lines, so memory holds and the loop runs into the time limit.
        Attack(name: "phase.warn of big strings in a loop", script: """
            local s = string.rep("w", 8 * 1024 * 1024)
            for i = 1, 100000 do phase.warn(s, s, s, s) end
            """, message: "limit exceeded"),
        Attack(name: "database parameters far larger than what is left", script: """
            local s = string.rep("p", 40 * 1024 * 1024)
            return db.value("SELECT length(?) + length(?) + length(?)", s, s, s)
            """),
        Attack(name: "a write binding whose argument is a 100 MB string", script: """
            files.write("big.txt", string.rep("b", 100 * 1024 * 1024))
            """),
        Attack(name: "files.read of the same 20 MB file into many strings", script: """
            local kept = {}
            for i = 1, 1000 do kept[i] = files.read("twenty.bin") end
            """, setup: { try Data(repeating: 0x41, count: 20 << 20).write(to: URL(fileURLWithPath: $0 + "/twenty.bin")) }),
        // Near the limit every new 4 MB string costs Lua an emergency collection: on a loaded
        // machine the time limit may come first. Either way the planned contents stay bounded.
        Attack(name: "planned writes of distinct 4 MB files", script: """
            for i = 1, 100000 do files.write("p/" .. i, string.rep(string.char(65 + i % 26), 4 * 1024 * 1024)) end
            """, message: "limit exceeded"),
        Attack(name: "db.rows iterators held open inside coroutines", script: """
            local threads = {}
            for i = 1, 1000000 do
              threads[i] = coroutine.create(function() for row in db.rows("SELECT 1 UNION ALL SELECT 2") do coroutine.yield(row) end end)
              coroutine.resume(threads[i])
            end
            """),
    ]

    @Test("A memory attack ends with exit 1, within the limits and without a crash", arguments: attacks)
    func attackEndsCleanly(attack: Attack) throws {
        let site = try Self.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        try attack.setup(site)
        let script = site + "/attack.lua"
        try attack.script.write(toFile: script, atomically: true, encoding: .utf8)
        let outcome = try LimitedChild.run(["run", script, "--site", site] + LimitedChild.limitFlags)
        Self.expectCleanLimit(outcome, attack.name, message: attack.message)
    }

    /// Logging a huge table costs nothing: `print` and `phase.log` show a table as `tostring`
    /// does (its address), as `lua5.4` prints it; the run ends cleanly, bounded.
    @Test func aHugeTableLoggedIsShownAsTostringDoes() throws {
        let site = try Self.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        let script = site + "/attack.lua"
        try """
            local t = {}
            for i = 1, 3000000 do t[i] = i end
            phase.log(t)
            print(t)
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let outcome = try LimitedChild.run(["run", script, "--site", site] + LimitedChild.limitFlags)
        #expect(!outcome.signaled && outcome.status == 0, "status \(outcome.status)\n\(outcome.text.suffix(2000))")
        #expect(outcome.text.contains("table: 0x"), "\(outcome.text.suffix(2000))")
        Self.expectBounded(outcome, "a huge table logged")
    }

    /// Exit 1 naming the limit, in time, under the memory bound, no crash.
    static func expectCleanLimit(_ outcome: LimitedChild.Outcome, _ name: String, message: String) {
        #expect(!outcome.signaled && outcome.status == 1, "\(name): status \(outcome.status)\n\(outcome.text.suffix(2000))")
        #expect(outcome.text.contains(message), "\(name): \(outcome.text.suffix(2000))")
        expectBounded(outcome, name)
    }

    /// In time, under the memory bound, no crash.
    static func expectBounded(_ outcome: LimitedChild.Outcome, _ name: String) {
        #expect(outcome.seconds < Double(LimitedChild.timeLimitSeconds) + LimitedChild.graceSeconds, "\(name): took \(outcome.seconds) s")
        let bound = (LimitedChild.memoryLimitMiB + LimitedChild.overheadMiB) * 1024
        #expect(outcome.peakRSSKiB > 8 * 1024, "\(name): peak RSS not measured (\(outcome.peakRSSKiB) KiB)")
        #expect(outcome.peakRSSKiB < bound, "\(name): peak RSS \(outcome.peakRSSKiB) KiB, bound \(bound) KiB")
        #expect(!outcome.text.contains("Fatal error") && !outcome.text.contains("Crash"), "\(name): \(outcome.text.suffix(2000))")
    }

    /// A site with an SQLite database and a dir volume pool, in a fresh temporary directory.
    static func makeSite() throws -> String {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-memory-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try "name: memory\ndatabase: sqlite:cms.db\nvolumes:\n  backend: dir\n  path: volumes\n"
            .write(toFile: site + "/site.yaml", atomically: true, encoding: .utf8)
        let connection = try SQLiteConnection(path: site + "/cms.db")
        _ = try connection.execute("CREATE TABLE addresses (ip TEXT PRIMARY KEY, state TEXT NOT NULL)", [])
        connection.close()
        return site
    }

    /// A sparse file of `gigabytes` (no disk space used).
    static func sparse(_ path: String, gigabytes: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), truncate(path, off_t(gigabytes) << 30) == 0 else {
            throw POSIXError(.EIO)
        }
    }
}
