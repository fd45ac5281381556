import Foundation
import Testing

/// No data can forge what the operator reads: hostile values in every source of data (the
/// database, the RM export, the inventory, `site.yaml`, a site step's title, description and log
/// lines, a server's file in a diff) reach the output neutralized, byte for byte, through a pipe
/// with `NO_COLOR`; `--json` and the stored reports keep the exact text.
@Suite("No data can forge what the operator reads", .serialized)
struct TerminalInjectionTests {
    /// Cursor up and erase line (the hidden-line attempt), then a right-to-left override.
    static let hiddenLine = "\u{1B}[1A\u{1B}[2K\u{202E}"
    static let hiddenLineShown = #"\x1b[1A\x1b[2K\u202e"#

    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        return environment
    }

    static func phasekit(_ arguments: [String]) throws -> CLITests.Result {
        try CLITests.phasekit(arguments, environment: environment)
    }

    /// Whether `scalar` could drive a terminal: a control character but newline and tab, DEL, a
    /// C1 control, a bidi control or an invisible format character. Written out here, apart from
    /// the neutralizer, so that this test checks it.
    static func drivesTerminal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0x061C, 0xFEFF, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Records an issue for every character of `text` that could drive a terminal.
    static func expectInert(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = text.unicodeScalars.filter(drivesTerminal).map { String($0.value, radix: 16) }
        #expect(found.isEmpty, "\(what) passes U+\(found.joined(separator: ", U+")) to the terminal:\n\(text)", sourceLocation: sourceLocation)
    }

    /// Records an issue unless `text` has `line` as one of its lines, exactly.
    static func expectLine(_ line: String, in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.components(separatedBy: "\n").contains(line), "no line\n\(line)\nin\n\(text)", sourceLocation: sourceLocation)
    }

    /// A sample site (services running) whose database, RM export and inventory hold hostile values.
    static func hostileSampleSite() throws -> String {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-hostile-\(UUID().uuidString)").path
        #expect(try CrashRecoveryTests.phasekit(["sample-site", site]).status == 0)
        // Any CMS user who can name a service.
        try sqlite3(site + "/cms.db", "UPDATE io_services SET name = name || char(27) || '[1A' || char(27) || '[2K' || char(8238) WHERE id = 'svc-0005'")
        try edit(site + "/exports/rm-config.json", #""name": "spark-worker-01""#, #""name": "spark-worker-01\u001b]0;owned\u0007\u202e""#)
        try edit(site + "/inventory/services.json", #""id": "svc-0011""#, #""id": "svc-0011\u001b[2J\r""#)
        return site
    }

    static func edit(_ path: String, _ old: String, _ new: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(old), "\(path) has no \(old)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The names of the services in a site's database.
    static func groupNames(_ site: String) -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [site + "/cms.db", "SELECT name FROM io_services"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return [] }   // no sqlite3: no names, and the check fails
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.components(separatedBy: "\n")
    }

    static func sqlite3(_ database: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "sqlite3 \(sql)")
    }

    @Test func databaseRMExportAndInventoryValuesAreShownNeutralizedAndKeptExactInJSON() throws {
        let site = try Self.hostileSampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let analysis = try Self.phasekit(["run", "sync", "--site", site])
        #expect(analysis.status == 2, "\(analysis.output.suffix(800)) \(analysis.error)")
        Self.expectInert(analysis.output + analysis.error, "run sync")
        Self.expectLine("      + remove service svc-0005 (dev-sandbox-17\(Self.hiddenLineShown)): free its 3 address(es), delete its tiers and its definition  (3 writes)", in: analysis.output)
        Self.expectLine("      ! service svc-0005 (dev-sandbox-17\(Self.hiddenLineShown)) was deleted after the backup (resolved by the planned changes)", in: analysis.output)
        Self.expectLine(#"      | 1 service(s) created after the backup are not in the database: svc-0011\x1b[2J\x0d"#, in: analysis.output)
        Self.expectLine(#"      + add logical server ls-0113 (spark-worker-01\x1b]0;owned\x07\u202e) on host dl380-05"#, in: analysis.output)

        // --json and the stored report keep the exact text.
        let json = try Self.phasekit(["run", "sync", "--site", site, "--json"])
        let exact = "remove service svc-0005 (dev-sandbox-17\(Self.hiddenLine)): free its 3 address(es), delete its tiers and its definition"
        #expect(Self.groups(inJSON: json.output).contains(exact), "\(json.output.prefix(400))")
        let reports = try FileManager.default.contentsOfDirectory(atPath: site + "/state/reports").filter { $0.hasSuffix(".json") }
        #expect(!reports.isEmpty)
        for name in reports {
            let stored = try String(contentsOfFile: site + "/state/reports/" + name, encoding: .utf8)
            #expect(Self.groups(inJSON: stored).contains(exact), "\(name) lost the exact text")
        }

        // history and history ID show the run neutralized too.
        let history = try Self.phasekit(["history", "--site", site])
        Self.expectInert(history.output, "history")
        let id = try #require(history.output.split(separator: "\n").last?.split(separator: " ").first.map(String.init))
        let shown = try Self.phasekit(["history", id, "--site", site])
        Self.expectInert(shown.output, "history ID")
        #expect(shown.output.contains("(dev-sandbox-17\(Self.hiddenLineShown))"), "\(shown.output)")
        let verbose = try Self.phasekit(["history", id, "--site", site, "--verbose"])
        Self.expectInert(verbose.output, "history ID --verbose")
    }

    /// Every change group in a JSON report.
    static func groups(inJSON text: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let steps = object["steps"] as? [[String: Any]] else { return [] }
        return steps.flatMap { ($0["changes"] as? [[String: Any]]) ?? [] }.compactMap { $0["group"] as? String }
    }

    /// A site procedure whose titles, description, log lines, finding and warning are hostile, and
    /// which writes over a file whose current content is.
    static func hostileProcedure(in site: String) throws {
        try SiteCustomizationTests.write(#"return { title = "Audit\27[2J", description = "A site-only procedure.", sections = { "audit" } }"# + "\n",
                                         to: site + "/scripts/audit/procedure.lua")
        try SiteCustomizationTests.write(#"""
            return { title = "Check\27[1A\27[2K hidden", section = "audit", order = 1, needs = { "files" },
                     description = "Reads\27]0;owned\7 data.\nSecond line\226\128\174.",
                     run = function(ctx)
                       phase.log("log\27[31m red\r\8 and\nsecond\226\128\174line")
                       phase.warn("warn\27[2J\n  ~ Forged row  (1 change)")
                       print("printed\27]0;title\7")
                       local new = "kept\nnew\27[1A\27[2Kline\n"
                       if files.read("etc/hostile.conf") ~= new then
                         phase.issue{ summary = "issue\27[1A", detail = "detail\27[2K\nmore", resolution = "planned" }
                         files.write("etc/hostile.conf", new)
                       end
                     end }
            """# + "\n", to: site + "/scripts/audit/1_hostile.lua")
        try SiteCustomizationTests.write("kept\nold\u{1B}[2J\u{1B}]0;owned\u{07}line\n", to: site + "/etc/hostile.conf")
    }

    @Test func siteStepsTitlesLogLinesAndAServersFileAreShownNeutralized() throws {
        let site = try Self.hostileSampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        try Self.hostileProcedure(in: site)
        let analysis = try Self.phasekit(["run", "audit", "--site", site])
        #expect(analysis.status == 2, "\(analysis.output) \(analysis.error)")
        Self.expectInert(analysis.output + analysis.error, "run audit")
        #expect(analysis.output == #"""
            phasekit: analysis (nothing is changed) of Audit\x1b[2J
              ! Check\x1b[1A\x1b[2K hidden  (1 change, 1 finding)
                  + replace etc/hostile.conf on cms with 21 bytes
                      --- etc/hostile.conf (before)
                      +++ etc/hostile.conf (after)
                      @@ -1,2 +1,2 @@
                       kept
                      -old\x1b[2J\x1b]0;owned\x07line
                      +new\x1b[1A\x1b[2Kline
                  ! issue\x1b[1A (resolved by the planned changes)
                    detail\x1b[2K
                    more
                  | log\x1b[31m red\x0d\x08 and
                  | second\u202eline
                  | printed\x1b]0;title\x07
                  warning: warn\x1b[2J
                             ~ Forged row  (1 change)

            1 change planned; 1 finding, 0 need manual action. Nothing was changed; apply with --execute.

            """#)

        // Execution through the prompt: the question names the procedure, neutralized.
        let refused = try CLITests.phasekit(["run", "audit", "--site", site, "--execute"], input: "n\n", environment: Self.environment)
        Self.expectInert(refused.output + refused.error, "run audit --execute")
        let executed = try Self.phasekit(["run", "audit", "--site", site, "--execute", "--yes"])
        #expect(executed.status == 0, "\(executed.output) \(executed.error)")
        Self.expectInert(executed.output + executed.error, "run audit --execute --yes")
        Self.expectLine(#"          -old\x1b[2J\x1b]0;owned\x07line"#, in: executed.output)

        let list = try Self.phasekit(["list", "--site", site])
        Self.expectInert(list.output, "list")
        Self.expectLine(#"audit\#tAudit\x1b[2J\#t1 steps"#, in: list.output)
        let steps = try Self.phasekit(["list", "audit", "--site", site])
        Self.expectLine(#"  audit\#t1\#t1_hostile\#tCheck\x1b[1A\x1b[2K hidden\#t[site addition]"#, in: steps.output)
        let show = try Self.phasekit(["show", "audit/1_hostile", "--site", site])
        Self.expectInert(show.output, "show")
        Self.expectLine(#"title:       Check\x1b[1A\x1b[2K hidden"#, in: show.output)
        #expect(show.output.hasSuffix("\n\n" + #"Reads\x1b]0;owned\x07 data."# + "\n" + #"Second line\u202e."# + "\n"), "\(show.output)")
        for arguments in [["history"], ["status"]] {
            let result = try Self.phasekit(arguments + ["--site", site])
            Self.expectInert(result.output + result.error, arguments[0])
        }
        let status = try Self.phasekit(["status", "--site", site])
        Self.expectLine(#"  ✓ Check\x1b[1A\x1b[2K hidden"#, in: status.output)
    }

    @Test func siteYAMLNamesReachMessagesNeutralized() throws {
        let site = try Self.hostileSampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        // A required service renamed in site.yaml is not running: the finding names it.
        try Self.edit(site + "/site.yaml", "    - name: cms-database\n", "    - name: \"cms-database\\e[1A\\e[2K\\u202e\"\n")
        let analysis = try Self.phasekit(["run", "sync", "--site", site])
        #expect(analysis.status == 3, "\(analysis.output) \(analysis.error)")
        Self.expectInert(analysis.output + analysis.error, "run sync")
        Self.expectLine("      ! required services are not running: cms-database\(Self.hiddenLineShown) (stopped) (needs manual action)", in: analysis.output)
        // The precondition's error repeats the finding: it is not printed again (issue 27).
        #expect(!analysis.output.contains("      error: required services are not running"), "\(analysis.output)")

        // A key site.yaml does not know is quoted in the error message on standard error.
        try Self.edit(site + "/site.yaml", "name: cms-restored\n", "name: cms-restored\n\"bad\\e]0;owned\\a\": 2\n")
        let refused = try Self.phasekit(["run", "sync", "--site", site])
        #expect(refused.status == 1)
        Self.expectInert(refused.error, "the site.yaml error")
        #expect(refused.error.contains(#"/site.yaml:4: bad\x1b]0;owned\x07: unknown key"#), "\(refused.error)")
    }
}
