import Databases
import Foundation
import PhaseKit
import Samples

/// Target 3: IO phase 3 of the sync procedure on a large sample database, executed with the
/// release `phasekit` binary vs the same set-based SQL run by the `sqlite3` shell.
enum DatabaseBench {
    static let phaseScript = "Scripts/sync/io/3_mark_allocated_addresses.lua"

    /// The statements of phase 3 in the order the script runs them, with the inventory loaded
    /// by `.import` instead of Lua (the phase's `db.rows` and `db.value` queries included).
    /// `--skip 2`: the inventory starts with a comment line and the header, which the phase's
    /// CSV reader both skips.
    static let sqlScript = """
        CREATE TEMP TABLE sync_live_addresses (address TEXT, service TEXT, allocated_at TEXT);
        .import --csv --skip 2 --schema temp inventory/addresses.csv sync_live_addresses
        BEGIN;
        SELECT count(*) FROM (SELECT l.address FROM sync_live_addresses l
         WHERE NOT EXISTS (SELECT 1 FROM ip_addresses a WHERE a.address = l.address) ORDER BY l.address);
        SELECT count(*) FROM ip_addresses a JOIN sync_live_addresses l ON l.address = a.address WHERE a.state = 'free';
        SELECT a.address, l.service FROM ip_addresses a JOIN sync_live_addresses l ON l.address = a.address
         WHERE a.state = 'free' ORDER BY a.address LIMIT 10;
        UPDATE ip_addresses SET state = 'allocated', allocated_to = l.service, allocated_at = l.allocated_at
          FROM sync_live_addresses AS l WHERE l.address = ip_addresses.address AND ip_addresses.state = 'free';
        SELECT count(*) FROM ip_addresses WHERE state = 'allocated'
           AND address NOT IN (SELECT address FROM sync_live_addresses);
        COMMIT;

        """

    static func run(rounds: Int, directory: String, addresses: Int, inUse: Int) throws -> [ResultRow] {
        let phasekit = releaseDirectory() + "/phasekit"
        let script = FileManager.default.currentDirectoryPath + "/" + phaseScript
        guard FileManager.default.fileExists(atPath: script) else { throw BenchError("run from the repository root: \(script) is missing") }
        let master = directory + "/site-master"
        let generation = try timed { try SampleSite.write(to: master, addresses: addresses, inUse: inUse) }
        try sqlScript.write(toFile: directory + "/phase3.sql", atomically: true, encoding: .utf8)
        let expected = try allocatedCount(master + "/cms.db")

        var peak: [Int] = []
        var marked: Int?
        func fresh(_ name: String) throws -> String {
            let copy = directory + "/" + name
            // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: master, toPath: copy)
            return copy
        }
        func check(_ site: String, _ who: String) throws {
            let after = try allocatedCount(site + "/cms.db")
            if let marked, after - expected != marked {
                throw BenchError("\(who) marked \(after - expected) addresses, the other side \(marked)")
            }
            marked = after - expected
        }
        let samples = try PairedSamples.collect(rounds: rounds) {
            let site = try fresh("site-phasekit")
            let usage = try runChild([phasekit, "run", script, "--site", site, "--execute", "--yes"])
            guard usage.status == 0 else { throw BenchError("phasekit exited with \(usage.status) on phase 3") }
            try check(site, "phasekit")
            peak.append(usage.peakResidentBytes)
            return usage.nanoseconds
        } baseline: {
            let site = try fresh("site-sqlite3")
            let usage = try inDirectory(site) { try runChild(["/usr/bin/sqlite3", "cms.db"], stdinPath: directory + "/phase3.sql") }
            guard usage.status == 0 else { throw BenchError("sqlite3 exited with \(usage.status) on phase 3") }
            try check(site, "sqlite3")
            return usage.nanoseconds
        }
        // Context: one pass (analysis alone: the same statements in a transaction rolled back).
        let analysis = try PairedSamples.collect(rounds: rounds) {
            let site = try fresh("site-phasekit")
            let usage = try runChild([phasekit, "run", script, "--site", site])
            guard usage.status == 2 else { throw BenchError("phasekit analysis exited with \(usage.status) on phase 3 (2 expected: changes)") }
            return usage.nanoseconds
        } baseline: {
            let site = try fresh("site-sqlite3")
            return try inDirectory(site) { try runChild(["/usr/bin/sqlite3", "cms.db"], stdinPath: directory + "/phase3.sql") }.nanoseconds
        }
        let ratio = samples.medianRatio
        let peakMiB = Double(peak.max() ?? 0) / 1_048_576
        let size = "\(addresses / 1000)k addresses, \(inUse / 1000)k in use"
        return [
            ResultRow(
                benchmark: "3. sync IO phase 3, \(size)", subject: formatDuration(nanoseconds: median(samples.subject)),
                baseline: formatDuration(nanoseconds: median(samples.baseline)) + " (sqlite3)", ratio: ratio,
                target: "<= 2.00x", passed: ratio <= 2,
                note: "`phasekit run \(phaseScript) --execute --yes` (the execution staged as an analysis and committed, as the CLI runs it) vs the phase's SQL "
                    + "in `sqlite3` with `.import`; each on a fresh copy, \(marked ?? 0) addresses marked by both; \(rounds) pairs; "
                    + "sample site written in \(formatDuration(nanoseconds: generation))"
            ),
            ResultRow(
                benchmark: "3c. same, analysis only (one pass)", subject: formatDuration(nanoseconds: median(analysis.subject)),
                baseline: formatDuration(nanoseconds: median(analysis.baseline)) + " (sqlite3)", ratio: analysis.medianRatio,
                target: "context", passed: nil,
                note: "`phasekit run \(phaseScript)` without --execute: the phase once, its writes rolled back"
            ),
            ResultRow(
                benchmark: "3b. phase 3 peak memory (RSS)", subject: String(format: "%.1f MiB", peakMiB),
                baseline: "200 MiB", ratio: peakMiB / 200, target: "< 200 MiB", passed: peakMiB < 200,
                note: "highest ru_maxrss of the phasekit child processes (wait4)"
            ),
        ]
    }

    /// Addresses the database shows allocated.
    static func allocatedCount(_ path: String) throws -> Int {
        let connection = try SQLiteConnection(path: path)
        defer { connection.close() }
        let cursor = try connection.prepare("SELECT count(*) FROM ip_addresses WHERE state = 'allocated'", [])
        defer { cursor.close() }
        guard let row = try cursor.next(), case .integer(let count)? = row.first else { throw BenchError("cannot count addresses in \(path)") }
        return Int(count)
    }

    /// Runs `body` with the working directory set to `path` (the sqlite3 script's `.import` path is relative).
    static func inDirectory<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        return try body()
    }
}
