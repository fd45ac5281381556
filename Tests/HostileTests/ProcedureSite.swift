import Databases
import Foundation

/// A small site with procedures of its own, for the tests that run executions on the built
/// binary: `scripts/<procedure>/procedure.lua` and its steps, an SQLite database with a table
/// `marks (step TEXT)` the steps write to, and files below the site directory.
struct ProcedureSite {
    let directory: String

    /// Creates the site in `parent` (a fresh temporary directory when nil).
    init(in parent: String? = nil) throws {
        let base = parent ?? FileManager.default.temporaryDirectory.path
        directory = base + "/phasekit-procedure-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "name: procedures\ndatabase: sqlite:cms.db\nvolumes:\n  backend: dir\n  path: volumes\n"
            .write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        let connection = try SQLiteConnection(path: directory + "/cms.db")
        _ = try connection.execute("CREATE TABLE marks (step TEXT)", [])
        connection.close()
    }

    /// Adds a procedure whose steps run `bodies` in order (each the body of `run = function(ctx)`).
    func addProcedure(_ name: String, confirmOnce: Bool = false, interruptible: Bool = true, steps bodies: [String],
                      titles: [String]? = nil) throws {
        let folder = directory + "/scripts/\(name)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try """
            return { title = "\(name)", description = "A test procedure.", sections = { "main" },
                     confirm = \(confirmOnce ? "\"once\"" : "\"phase\""), interruptible = \(interruptible) }
            """.write(toFile: folder + "/procedure.lua", atomically: true, encoding: .utf8)
        for (index, body) in bodies.enumerated() {
            try """
                return { title = "\(titles?[index] ?? "Step \(index + 1)")", section = "main", order = \(index + 1), description = "A test step.",
                         needs = { "db", "files" },
                         run = function(ctx)
                \(body)
                         end }
                """.write(toFile: folder + "/\(index + 1)_step.lua", atomically: true, encoding: .utf8)
        }
    }

    /// A step body that marks the database and writes a file named after the step, once.
    static func marking(_ step: String) -> String {
        """
          if db.value("SELECT count(*) FROM marks WHERE step = ?", "\(step)") == 0 then
            db.exec("INSERT INTO marks VALUES (?)", "\(step)")
          end
          if not files.exists("\(step).txt") then files.write("\(step).txt", "\(step)") end
        """
    }

    /// The steps marked in the database, in order.
    func marks() throws -> [String] {
        let connection = try SQLiteConnection(path: directory + "/cms.db")
        defer { connection.close() }
        let cursor = try connection.prepare("SELECT step FROM marks ORDER BY rowid", [])
        var steps: [String] = []
        while let row = try cursor.next() { if case .text(let step) = row.first { steps.append(step) } }
        return steps
    }

    var journalDirectory: String { directory + "/state/journal" }

    /// The newest journal file, per `state/journal/latest`.
    func latestJournal() -> String? {
        guard let name = try? String(contentsOfFile: journalDirectory + "/latest", encoding: .utf8) else { return nil }
        return journalDirectory + "/" + name.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
