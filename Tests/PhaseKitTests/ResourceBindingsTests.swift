import Databases
import Foundation
import LuaRuntime
import Testing
@testable import PhaseKit

@Suite("Resource bindings on real backends")
struct ResourceBindingsTests {
    // MARK: db

    @Test func databaseWritesAreRolledBackInAnalysisButSeenByLaterReads() throws {
        let fixture = try SiteFixture()
        let before = try fixture.snapshot()
        let steps = try fixture.analyzeInSequence([
            "db.exec(\"UPDATE addresses SET state = 'allocated' WHERE ip = ?\", '10.0.0.1')",
            "phase.log(db.value(\"SELECT state FROM addresses WHERE ip = ?\", '10.0.0.1'))",
        ])
        #expect(steps[0].changes.first?.binding == "db.exec")
        #expect(steps[0].changes.first?.arguments == [.string("UPDATE addresses SET state = 'allocated' WHERE ip = ?"), .string("10.0.0.1")])
        #expect(steps[1].log == ["allocated"])
        #expect(try fixture.query("SELECT state FROM addresses WHERE ip = '10.0.0.1'") == [[.text("free")]])
        #expect(try fixture.snapshot() == before)
    }

    @Test func databaseExecutionCommitsTheStep() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("return db.exec(\"UPDATE addresses SET state = 'allocated'\")", mode: .execute)
        #expect(report.outcome == .applied)
        #expect(try fixture.query("SELECT count(*) FROM addresses WHERE state = 'allocated'") == [[.integer(2)]])
    }

    @Test func aFailingStepRollsItsDatabaseWritesBack() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("db.exec(\"UPDATE addresses SET state = 'gone'\") error('stop here')", mode: .execute)
        #expect(report.outcome == .error)
        #expect(try fixture.query("SELECT count(*) FROM addresses WHERE state = 'gone'") == [[.integer(0)]])
    }

    @Test func aWriteThroughQueryIsRecordedAsAWrite() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("db.query(\"DELETE FROM addresses RETURNING ip\")")
        #expect(report.changes.map(\.binding) == ["db.query"])
        #expect(try fixture.query("SELECT count(*) FROM addresses") == [[.integer(2)]])
    }

    @Test(arguments: ["COMMIT", "  begin", "/* x */ ROLLBACK", "savepoint a", "ATTACH 'x.db' AS x", "VACUUM", "pragma journal_mode = delete"])
    func transactionControlIsRefused(sql: String) throws {
        let fixture = try SiteFixture()
        for mode in RunMode.allCases {
            let report = try fixture.run("db.exec([[\(sql)]])", mode: mode)
            #expect(report.outcome == .error, "\(sql) in \(mode)")
        }
    }

    @Test func rowsStreamAndValuesMapFaithfully() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("""
            local n = 0
            for row in db.rows("SELECT ip, state FROM addresses ORDER BY ip") do n = n + 1 end
            local v = db.query("SELECT 1 AS i, 2.5 AS r, 'x' AS t, NULL AS n, x'00ff' AS b")[1]
            phase.log(n, math.type(v.i), math.type(v.r), v.t, v.n == nil, #v.b)
            """)
        #expect(report.steps.first?.log == ["2\tinteger\tfloat\tx\ttrue\t2"])
    }

    @Test func tempTablesAreScratchNotChanges() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("""
            db.temp_table("in_use", {"ip"}, {{"10.0.0.1"}, {"10.0.0.9"}})
            phase.log(db.value("SELECT count(*) FROM in_use"))
            """)
        #expect(report.changes.isEmpty)
        #expect(report.steps.first?.log == ["2"])
        #expect(try fixture.run("db.temp_table('bad name', {'a'}, {})").outcome == .error)
        // A bad row is found before the table is made: nothing is left behind.
        let badRow = try fixture.run("""
            local ok = pcall(db.temp_table, "partial", {"a"}, {{1}, {{}}})
            phase.log(tostring(ok), db.value("SELECT count(*) FROM sqlite_temp_master WHERE name = 'partial'"))
            """)
        #expect(badRow.steps.first?.log == ["false\t0"])
    }

    // MARK: volumes

    @Test func volumesAnalysisSeesItsPlanAndCreatesNothing() throws {
        let fixture = try SiteFixture()
        let steps = try fixture.analyzeInSequence([
            "volumes.create{ group = 'vg0', name = 'lv1', size = '1G', role = 'data' } volumes.tag('lv1', 'new')",
            "local v = volumes.get('lv1') phase.log(v.planned, v.tags[1], #volumes.list{ tag = 'new' })",
        ])
        #expect(steps[0].changes.map(\.binding) == ["volumes.create", "volumes.tag"])
        #expect(steps[1].log == ["true\tnew\t1"])
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/volumes"))
    }

    @Test func volumesExecutionActsOnTheDirPool() throws {
        let fixture = try SiteFixture()
        #expect(try fixture.run("volumes.create{ group = 'vg0', name = 'lv1', size = 1048576 }", mode: .execute).outcome == .applied)
        #expect(FileManager.default.fileExists(atPath: fixture.directory + "/volumes/lv1.volume.json"))
        let deleted = try fixture.analyzeInSequence(["volumes.delete('lv1')", "phase.log(volumes.get('lv1') == nil)"])
        #expect(deleted[1].log == ["true"])
        #expect(FileManager.default.fileExists(atPath: fixture.directory + "/volumes/lv1.volume.json"))
    }

    @Test(arguments: [
        "volumes.create{ group = 'vg0', name = '../evil', size = 1 }",
        "volumes.create{ group = 'vg0', name = 'x', size = -5 }",
        "volumes.create{ group = 'vg0', name = 'x', size = 'lots' }",
        "volumes.create('not a table')",
        "volumes.delete('missing')",
        "volumes.resize('missing', '1G')",
        "volumes.on('nowhere').list()",
    ])
    func badVolumeArgumentsAreCleanErrors(source: String) throws {
        let fixture = try SiteFixture()
        let report = try fixture.run(source)
        #expect(report.outcome == .error, "\(source)")
        #expect(report.error?.file != nil, "\(source): \(report.error?.message ?? "")")
    }

    // MARK: files

    @Test func filesAnalysisSeesItsPlanAndWritesNothing() throws {
        let fixture = try SiteFixture()
        let before = try fixture.snapshot()
        let steps = try fixture.analyzeInSequence([
            "files.write('conf/a.txt', 'one') files.copy('conf/a.txt', 'conf/b.txt') files.remove('conf/a.txt')",
            "phase.log(files.read('conf/b.txt'), files.exists('conf/a.txt'), table.concat(files.list('conf'), ','))",
        ])
        #expect(steps[0].changes.count == 3)
        #expect(steps[1].log == ["one\tfalse\tb.txt"])
        #expect(try fixture.snapshot() == before)
    }

    @Test(arguments: ["/etc/passwd", "../outside.txt", "a/../../outside.txt", "link/passwd", "link"])
    func pathsLeavingTheRootAreRefusedInEveryMode(path: String) throws {
        let fixture = try SiteFixture()
        try FileManager.default.createSymbolicLink(atPath: fixture.directory + "/link", withDestinationPath: "/etc")
        for mode in RunMode.allCases {
            #expect(try fixture.run("files.read('\(path)')", mode: mode).outcome == .error, "\(path) read in \(mode)")
            #expect(try fixture.run("files.write('\(path)/x', 'pwned')", mode: mode).outcome == .error, "\(path) write in \(mode)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/etc/x"))
    }

    @Test(arguments: ["site.yaml", "cms.db", "state/lock", "scripts/sync/x.lua"])
    func phasekitsOwnFilesCannotBeChangedByScripts(path: String) throws {
        let fixture = try SiteFixture()
        for mode in RunMode.allCases {
            let report = try fixture.run("files.write('\(path)', 'pwned')", mode: mode)
            #expect(report.outcome == .error, "\(path) in \(mode)")
            #expect(report.error?.message.contains("phasekit's own file") == true)
        }
        #expect(try String(contentsOfFile: fixture.directory + "/site.yaml", encoding: .utf8).contains("fixture"))
    }

    // MARK: services

    @Test func servicesAnalysisSeesItsPlanAndStartsNothing() throws {
        let fixture = try SiteFixture(services: true)
        let steps = try fixture.analyzeInSequence([
            "services.start('db') services.restart('agent')",
            "local s = {} for _, x in ipairs(services.list()) do s[#s + 1] = x.name .. '=' .. x.state .. (x.required and '!' or '') end phase.log(table.concat(s, ','))",
        ])
        #expect(steps[0].changes.map(\.binding) == ["services.start", "services.restart"])
        #expect(steps[1].log == ["agent=running,db=running!"])
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/state/services/local/db.pid"))
    }

    @Test func servicesExecutionStartsAndStopsRealProcesses() throws {
        let fixture = try SiteFixture(services: true)
        defer { _ = try? fixture.run("services.stop('db')", mode: .execute) }
        #expect(try fixture.run("services.start('db')", mode: .execute).outcome == .applied)
        let pidfile = fixture.directory + "/state/services/local/db.pid"
        let pid = try #require(try String(contentsOfFile: pidfile, encoding: .utf8).split(whereSeparator: { !$0.isNumber }).first.flatMap { Int32($0) })
        #expect(kill(pid, 0) == 0)
        #expect(try fixture.run("phase.log(services.status('db'))").steps.first?.log == ["running"])
        #expect(try fixture.run("services.stop('db')", mode: .execute).outcome == .applied)
        // Gone, or a zombie waiting for init to reap it (not every container's init reaps).
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        #expect(stat.isEmpty || stat.split(separator: ")").last?.split(separator: " ").first == "Z", "\(stat)")
    }

    @Test func unknownServicesAreCleanErrors() throws {
        let fixture = try SiteFixture(services: true)
        for mode in RunMode.allCases {
            let report = try fixture.run("services.start('nope')", mode: mode)
            #expect(report.outcome == .error)
            #expect(report.error?.line == 1)
        }
    }

    // MARK: hosts

    @Test func hostsListsTheSiteServers() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("local h = hosts.list()[1] phase.log(h.name, h.role, h.current, hosts.current())")
        #expect(report.steps.first?.log == ["local\tproduction\ttrue\tlocal"])
    }

    // MARK: bad input

    @Test func missingDatabaseConfigurationIsAClearError() throws {
        let fixture = try SiteFixture()
        try "name: nodb\n".write(toFile: fixture.directory + "/site.yaml", atomically: true, encoding: .utf8)
        let site = try SiteConfiguration.load(directory: fixture.directory)
        let path = fixture.directory + "/q.lua"
        try "db.value('SELECT 1')".write(toFile: path, atomically: true, encoding: .utf8)
        let report = ScriptRunner.run(path: path, options: RunOptions(site: site)).checkedAgainstSchema
        #expect(report.error?.message.contains("no database is configured") == true)
        #expect(report.error?.message.contains("\(path):1:") == true)
    }

    @Test func unreachableDatabaseIsAClearError() throws {
        let fixture = try SiteFixture()
        try "name: x\ndatabase: postgres://nobody@/nowhere?host=/nonexistent&connect_timeout=2\n".write(toFile: fixture.directory + "/site.yaml", atomically: true, encoding: .utf8)
        let site = try SiteConfiguration.load(directory: fixture.directory)
        let path = fixture.directory + "/q.lua"
        try "db.value('SELECT 1')".write(toFile: path, atomically: true, encoding: .utf8)
        let report = ScriptRunner.run(path: path, options: RunOptions(site: site)).checkedAgainstSchema
        #expect(report.outcome == .error)
        #expect(report.error?.line == 1)
    }

    @Test(arguments: [
        ("", "the file is empty"),
        ("name: [unclosed\n", "site.yaml:"),
        ("servcies: {}\n", "unknown key"),
        ("volumes:\n  backend: tape\n", "unknown volumes backend"),
        ("services:\n  backend: launchd\n", "unknown services backend"),
        ("services:\n  definitions:\n    - name: x\n", "needs a command"),
        ("limits:\n  time_seconds: -1\n", "must be between"),
        ("servers:\n  - name: a\n  - name: a\n", "listed twice"),
    ])
    func malformedSiteYamlNamesFileAndLine(yaml: String, expected: String) throws {
        let fixture = try SiteFixture()
        try yaml.write(toFile: fixture.directory + "/site.yaml", atomically: true, encoding: .utf8)
        let error = #expect(throws: PhaseKitError.self) { try SiteConfiguration.load(directory: fixture.directory) }
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("site.yaml") == true)
    }
}
