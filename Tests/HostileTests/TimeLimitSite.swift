import Databases
import Foundation

/// A temporary site for the time-limit attacks: an SQLite database with a 3,000-row table
/// `nums`, a process service `stubborn` that ignores SIGTERM, library modules in `scripts/lib`
/// (one whose compilation is quadratic, one larger than the chunk limit), and room for scripts.
final class TimeLimitSite {
    let directory: String
    let marker = "phasekit-timelimit-\(UUID().uuidString)"

    init(steps: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(marker).path
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: directory + "/scripts/lib", withIntermediateDirectories: true)
        let yaml = """
            name: timelimit
            database: sqlite:cms.db
            services:
              backend: process
              wait_seconds: 60
              definitions:
                - name: stubborn
                  command: ["/bin/sh", "-c", "trap '' TERM; while :; do sleep 1; done", "\(marker)"]

            """
        try yaml.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        let connection = try SQLiteConnection(path: directory + "/cms.db")
        _ = try connection.execute("CREATE TABLE nums (x INTEGER)", [])
        _ = try connection.execute("INSERT INTO nums WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000) SELECT x FROM c", [])
        connection.close()
        try Self.elseifChain(100_000).write(toFile: directory + "/scripts/lib/quadratic.lua", atomically: true, encoding: .utf8)
        try (String(repeating: "-- padding to pass the chunk limit\n", count: 150_000) + "return {}\n")
            .write(toFile: directory + "/scripts/lib/huge.lua", atomically: true, encoding: .utf8)
        for (relative, source) in steps {
            let path = directory + "/scripts/" + relative
            try fileManager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try source.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// `if ... elseif ...` with `count` branches: Lua's parser takes time quadratic in `count`.
    static func elseifChain(_ count: Int) -> String {
        var source = "local x = ... if x == 0 then return 0\n"
        for branch in 1...count { source += "elseif x == \(branch) then return \(branch)\n" }
        return source + "end\n"
    }

    /// Writes a script into the site and returns its path.
    func script(_ name: String, _ source: String) throws -> String {
        let path = directory + "/" + name + ".lua"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs a script with the hostile limits (and `extra` arguments such as `--execute --yes`).
    func run(_ name: String, _ source: String, _ extra: [String] = []) throws -> LimitedChild.Outcome {
        try LimitedChild.run(["run", try script(name, source), "--site", directory] + LimitedChild.limitFlags + extra, killAfter: 30)
    }

    /// Kills what the service `stubborn` left running (by the process group its pidfile names) and
    /// removes the site.
    func tearDown() {
        let services = directory + "/state/services"
        for server in (try? FileManager.default.contentsOfDirectory(atPath: services)) ?? [] {
            let pidfile = services + "/" + server + "/stubborn.pid"
            if let text = try? String(contentsOfFile: pidfile, encoding: .utf8),
               let pid = Int32(text.split(whereSeparator: { !$0.isNumber }).first ?? "") {
                kill(-pid, SIGKILL)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
