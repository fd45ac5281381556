import TestSupport
import Databases
import Foundation
import LuaRuntime
@testable import PhaseKit

/// A temporary site on real backends: an SQLite database, a dir volume pool, a files root and
/// process services.
struct SiteFixture {
    let directory: String
    let site: SiteConfiguration

    init(services: Bool = false) throws {
        directory = TestScratch.path("phasekit-site").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var yaml = """
            name: fixture
            database: sqlite:cms.db
            volumes:
              backend: dir
              path: volumes

            """
        if services {
            yaml += """
                services:
                  backend: process
                  wait_seconds: 5
                  definitions:
                    - name: db
                      command: ["/bin/sh", "-c", "exec sleep 600"]
                      required_for: [sync]
                    - name: agent
                      command: ["/bin/sh", "-c", "exec sleep 600"]

                """
        }
        try yaml.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        let connection = try SQLiteConnection(path: directory + "/cms.db")
        _ = try connection.execute("CREATE TABLE addresses (ip TEXT PRIMARY KEY, state TEXT NOT NULL)", [])
        _ = try connection.execute("INSERT INTO addresses VALUES ('10.0.0.1', 'free'), ('10.0.0.2', 'allocated')", [])
        connection.close()
        site = try SiteConfiguration.load(directory: directory)
    }

    /// Runs a script source as a step in the given mode and returns the report.
    func run(_ source: String, mode: RunMode = .analyze, name: String = "step") throws -> RunReport {
        let path = directory + "/\(name)-\(UUID().uuidString).lua"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return ScriptRunner.run(path: path, options: RunOptions(intent: RunIntent(mode), site: site, procedure: "sync")).checkedAgainstSchema
    }

    /// Runs several scripts in one analysis session, in order.
    func analyzeInSequence(_ sources: [String]) throws -> [RunReport.Step] {
        let session = try RunSession(options: RunOptions(intent: .analyze, site: site, procedure: "sync"))
        defer { session.finish() }
        return try sources.enumerated().map { index, source in
            let path = directory + "/seq-\(index)-\(UUID().uuidString).lua"
            try source.write(toFile: path, atomically: true, encoding: .utf8)
            return session.runScript(path: path, id: "s\(index)", title: "s\(index)")
        }
    }

    func query(_ sql: String) throws -> [[DatabaseValue]] {
        let connection = try SQLiteConnection(path: directory + "/cms.db")
        defer { connection.close() }
        let cursor = try connection.prepare(sql, [])
        var rows: [[DatabaseValue]] = []
        while let row = try cursor.next() { rows.append(row) }
        return rows
    }

    /// Every file below the site except phasekit's own `state/`, with its bytes, for before/after comparisons.
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasPrefix("state") || relative.hasSuffix(".lua") { continue }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory)
            files[relative] = isDirectory.boolValue ? Data() : FileManager.default.contents(atPath: directory + "/" + relative)
        }
        return files
    }
}
