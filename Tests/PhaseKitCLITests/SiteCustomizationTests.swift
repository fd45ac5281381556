import Foundation
import TestSupport
import Testing

/// A site overrides, adds and disables steps and defines a new procedure; the same binary picks
/// them all up, with nothing rebuilt.
@Suite("Site customization", .serialized)
struct SiteCustomizationTests {
    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func customizedSite() throws -> String {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-custom-\(UUID().uuidString)").path
        #expect(try CrashRecoveryTests.phasekit(["sample-site", site]).status == 0)
        let scripts = site + "/scripts"
        try write("""
            return { title = "Site: addresses from ipam", section = "io", order = 3, description = "Site override.",
                     needs = { "db" }, run = function(ctx) phase.log("site override ran") end }
            """, to: scripts + "/sync/io/3_mark_allocated_addresses.lua")
        try write("""
            local helpers = require("site_helpers")
            return { title = "Site: check reservations", section = "io", order = 4, description = "Site addition.",
                     run = function(ctx) phase.log(helpers.greeting(ctx.server)) end }
            """, to: scripts + "/sync/io/4_check_reservations.lua")
        try write("", to: scripts + "/sync/io/2_remove_deleted_services.lua.disabled")
        try write("return { greeting = function(server) return 'site addition ran on ' .. server end }\n", to: scripts + "/lib/site_helpers.lua")
        try write("return { title = 'Audit', description = 'A site-only procedure.', sections = { 'audit' } }\n", to: scripts + "/audit/procedure.lua")
        try write("""
            return { title = "Count requests", section = "audit", order = 1, description = "Counts IO requests.", needs = { "db" },
                     run = function(ctx) phase.issue{ summary = db.value("SELECT count(*) FROM io_requests") .. " requests", resolution = "planned" } end }
            """, to: scripts + "/audit/1_count_requests.lua")
        return site
    }

    @Test func listShowsWhereEachStepComesFrom() throws {
        let site = try Self.customizedSite()
        defer { CrashRecoveryTests.dispose(site) }
        let list = try CLITests.phasekit(["list", "sync", "--site", site])
        #expect(list.output.contains("3_mark_allocated_addresses\tSite: addresses from ipam\t[site override]"))
        #expect(list.output.contains("4_check_reservations\tSite: check reservations\t[site addition]"))
        #expect(list.output.contains("2_remove_deleted_services\tRemove services deleted after the backup\t[disabled]"))
        #expect(list.output.contains("1_terminate_requests\tTerminate stale requests\t[bundled]"))
        let all = try CLITests.phasekit(["list", "--site", site])
        #expect(all.output.contains("audit\tAudit\t1 steps"))
        let show = try CLITests.phasekit(["show", "sync/io/3_mark_allocated_addresses", "--site", site])
        #expect(show.output.contains("path:        \(site)/scripts/sync/io/3_mark_allocated_addresses.lua"))
        #expect(show.output.contains("origin:      site override"))
    }

    @Test func runPicksUpOverridesAdditionsAndDisabledSteps() throws {
        let site = try Self.customizedSite()
        defer { CrashRecoveryTests.dispose(site) }
        let run = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(run.status == 2)
        #expect(run.output.contains("site override ran"))
        #expect(run.output.contains("site addition ran on cms"))
        // The disabled step does not run, and the run says it is disabled.
        let mentions = run.output.split(separator: "\n").filter { $0.contains("Remove services deleted after the backup") }.map(String.init)
        #expect(mentions == ["warning: step 'Remove services deleted after the backup' (sync/io/2_remove_deleted_services) is disabled by the site (io/2_remove_deleted_services.lua.disabled)"], "\(mentions)")
        #expect(!run.output.contains("Mark addresses allocated after the backup"))
        let audit = try CLITests.phasekit(["run", "audit", "--site", site])
        #expect(audit.status == 2)
        #expect(audit.output.contains("16 requests"))
    }

    @Test func anEditedScriptIsReportedAsChangedSinceTheLastRun() throws {
        let site = try Self.customizedSite()
        defer { CrashRecoveryTests.dispose(site) }
        _ = try CLITests.phasekit(["run", "audit", "--site", site])
        let before = try CLITests.phasekit(["show", "audit/1_count_requests", "--site", site])
        #expect(before.output.contains("unchanged since the last run"))
        let path = site + "/scripts/audit/1_count_requests.lua"
        try (try String(contentsOfFile: path, encoding: .utf8) + "-- edited\n").write(toFile: path, atomically: true, encoding: .utf8)
        let after = try CLITests.phasekit(["show", "audit/1_count_requests", "--site", site])
        #expect(after.output.contains("CHANGED since the last run"))
    }
}

/// Configuration-change initialization: a failing row stops the run; signals are deferred.
@Suite("Configure execution", .serialized)
struct ConfigureExecutionTests {
    @Test func aStepFailingOnOneServerStopsTheRunWithAClearMessage() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        try SiteCustomizationTests.write("""
            return { title = "Site: fail on recovery1", section = "configure", order = 12, scope = "each",
                     description = "Fails on one server.", applies = function() return true end,
                     run = function(ctx)
                       -- stands for hardware that fails during execution, after a clean analysis
                       if ctx.server == "recovery1" and ctx.mode == "execute" then error("disk array offline on " .. ctx.server) end
                       if not files.exists("site-check.txt") then files.write("site-check.txt", "checked\\n") end
                     end }
            """, to: site + "/scripts/configure/12b_site_check.lua")
        let run = try CLITests.phasekit(["run", "configure", "--site", site, "--execute", "--yes"])
        #expect(run.status == 1, "\(run.error)")
        #expect(run.error.isEmpty, "\(run.error)")
        #expect(run.output.contains("✗ Site: fail on recovery1"))
        #expect(!run.output.contains("recovery1 [recovery1]"), "a title naming its server gets no brackets")
        #expect(run.output.contains("12b_site_check.lua:5: disk array offline on recovery1"))
        #expect(run.output.contains("Failed: \(site)/scripts/configure/12b_site_check.lua:5: disk array offline on recovery1."))
        // The journal shows the failed row and, after it, rows never started.
        let status = try CLITests.phasekit(["status", "--site", site])
        #expect(status.output.contains("configure: finished (error)"))
        #expect(status.output.contains("✗ Site: fail on recovery1\n"))
        #expect(status.output.contains("    Verify configuration on production\n"), "the row's title names its server")
    }

    @Test func signalsAreDeferredOnceInitializationStarted() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        try SiteCustomizationTests.write("""
            return { title = "Site: slow step", section = "configure", order = 1, description = "Takes three seconds when it applies.",
                     applies = function() return true end, needs = { "files" },
                     run = function(ctx)
                       if files.exists("applying.txt") then return end
                       files.write("applying.txt", "now")
                       if phase.mode == "execute" then local t = os.clock() while os.clock() - t < 3 do end end
                     end }
            """, to: site + "/scripts/configure/01b_slow.lua")
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["run", "configure", "--site", site, "--execute", "--yes"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The slow step writes its file when it starts applying: from then on signals are deferred.
        let applying = { () -> Bool in
            let paths = FileManager.default.enumerator(atPath: site)?.compactMap { $0 as? String } ?? []
            return paths.contains { $0.hasSuffix("applying.txt") && !$0.hasPrefix("state/") }
        }
        #expect(Wait.until(30, applying))
        for signal in [SIGINT, SIGTERM, SIGHUP] { kill(process.processIdentifier, signal) }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(text)")
        #expect(text.contains("cannot be stopped once it applies changes"))
        #expect(text.contains("row(s) left"))
        #expect(text.components(separatedBy: "signal is deferred").count == 2, "said once: \(text)")
        #expect(try CLITests.phasekit(["run", "configure", "--site", site]).status == 0)
    }

    @Test func aDisabledFileMatchingNoStepIsReported() throws {
        let site = try SiteCustomizationTests.customizedSite()
        defer { CrashRecoveryTests.dispose(site) }
        try "".write(toFile: site + "/scripts/sync/io/2_remove_deleted_service.lua.disabled", atomically: true, encoding: .utf8)
        let list = try CLITests.phasekit(["list", "sync", "--site", site])
        #expect(list.output.contains("warning: io/2_remove_deleted_service.lua.disabled disables no step (no bundled io/2_remove_deleted_service.lua)"), "\(list.output)")
        let run = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(run.output.contains("warning: sync/io/2_remove_deleted_service.lua.disabled disables nothing: there is no bundled step sync/io/2_remove_deleted_service.lua"), "\(run.output)")
    }
}
