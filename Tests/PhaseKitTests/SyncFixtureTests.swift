import Databases
import Foundation
import LuaRuntime
import Testing
@testable import PhaseKit
@testable import Samples

/// A fresh sample site in a temporary directory, and ways to run the sync steps on it.
struct SyncFixture {
    /// The repository root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The step scripts in procedure order, relative to `Scripts/sync`.
    static let steps = [
        "io/1_terminate_requests", "io/2_remove_deleted_services", "io/3_mark_allocated_addresses",
        "rm/1_install_configuration",
    ]

    let directory: String

    init(addresses: Int = 2000, inUse: Int = 300) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("phasekit-sync-\(UUID().uuidString)").path
        try SampleSite.write(to: directory, addresses: addresses, inUse: inUse)
    }

    /// Removes the site; call it with `defer`.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var databasePath: String { directory + "/cms.db" }

    /// Runs one step script as a whole run; `adjust` changes the sync parameters first.
    func run(_ step: String, _ mode: RunMode, adjust: (inout LuaTable) -> Void = { _ in }) throws -> RunReport {
        let site = try SiteConfiguration.load(directory: directory)
        var parameters = site.parameters["sync"] ?? LuaTable()
        adjust(&parameters)
        let options = RunOptions(intent: RunIntent(mode), site: site, searchPath: [Self.repositoryRoot + "/Scripts/lib"],
                                 parameters: parameters)
        return ScriptRunner.run(path: Self.repositoryRoot + "/Scripts/sync/\(step).lua", options: options).checkedAgainstSchema
    }

    /// The rows of a query on the site's database, as text (NULL as "NULL").
    func rows(_ sql: String) throws -> [[String]] {
        let connection = try SQLiteConnection(path: databasePath)
        defer { connection.close() }
        let cursor = try connection.prepare(sql, [])
        defer { cursor.close() }
        var rows: [[String]] = []
        while let values = try cursor.next() {
            rows.append(values.map { value in
                switch value {
                case .null: "NULL"
                case .integer(let integer): String(integer)
                case .real(let real): String(real)
                case .text(let text): text
                case .blob(let bytes): "blob(\(bytes.count))"
                }
            })
        }
        return rows
    }

    /// One integer a query returns.
    func count(_ sql: String) throws -> Int {
        Int(try #require(try rows(sql).first?.first)) ?? -1
    }

    /// The database file's bytes.
    func databaseBytes() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: databasePath))
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: directory + "/" + relative, encoding: .utf8)
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + relative))
    }
}

extension RunReport {
    /// The only step's report.
    var step: RunReport.Step? { steps.first }
    /// Issues by resolution.
    func issues(_ resolution: Finding.Resolution) -> [Finding] { issues.filter { $0.resolution == resolution } }
}

/// The fixture itself: the repository root is found and the scripts are there.
@Suite struct SyncFixtureTests {
    @Test func findsTheRepositoryAndTheStepScripts() {
        for step in SyncFixture.steps + ["procedure"] {
            let path = SyncFixture.repositoryRoot + "/Scripts/sync/\(step).lua"
            #expect(FileManager.default.fileExists(atPath: path), "missing \(path)")
        }
    }
}
