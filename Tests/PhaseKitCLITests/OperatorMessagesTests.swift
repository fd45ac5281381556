import Foundation
import TestSupport
import Testing

/// What the binary says to an operator, said once and in words that agree with what happened
/// (issue 27): a plan printed once through a pipe, marks and words matching outcomes.
@Suite("operator messages", .serialized)
struct OperatorMessagesTests {
    /// A fresh sample site; its services are stopped and its folder removed by ``dispose``.
    static func sampleSite(_ name: String) throws -> String {
        let site = TestScratch.path(name).path
        #expect(try CLITests.phasekit(["sample-site", site]).status == 0)
        return site
    }

    /// Off a terminal, `--execute --yes` prints the plan once (under its heading), then the
    /// applied rows: the execution's analysis is not printed again as rows of its own.
    @Test func anExecutionThroughAPipePrintsItsPlanOnce() throws {
        let site = try Self.sampleSite("phasekit-plan-once")
        defer { CrashRecoveryTests.dispose(site) }
        let result = try CLITests.phasekit(["run", "configure", "--site", site, "--execute", "--yes"])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.filter { $0.hasPrefix("phasekit: plan of configure") }.count == 1, "\(result.output.prefix(2000))")
        #expect(lines.count > 1 && lines[1].hasPrefix("phasekit: plan of configure"), "\(lines.prefix(3))")
        // Planned once (~), applied once (✓).
        #expect(lines.filter { $0.hasPrefix("  ~ Copy configuration to production") }.count == 1, "\(result.output.prefix(3000))")
        #expect(lines.filter { $0.hasPrefix("  ✓ Copy configuration to production") }.count == 1)
    }

    /// After applying, findings and changes do not speak of the future or of a state the change
    /// ended: "✓ start required service ... (stopped)" read as a contradiction.
    @Test func appliedChangesAndTheirFindingsAreWordedForEitherMode() throws {
        let site = try CrashRecoveryTests.sampleSite()   // no service started
        defer { CrashRecoveryTests.dispose(site) }
        let result = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--yes"])
        #expect(result.status == 0, "\(result.output.suffix(600))")
        #expect(result.output.contains("      ✓ start required service cms-database on cms (found stopped)\n"), "\(result.output.prefix(800))")
        #expect(result.output.contains("; the synchronization marks it terminated, never re-runs it."))
        #expect(!result.output.contains(" will be "), "future tense next to applied changes")
    }

    /// A file replaced by `files.copy` shows its diff headed before/after, not "(new)", which
    /// read as a file created.
    @Test func aReplacedFilesDiffIsHeadedBeforeAndAfter() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let result = try CLITests.phasekit(["run", "configure", "--site", site])
        #expect(result.status == 2, "\(result.error)")
        #expect(result.output.contains("""
                  + copy replication/new.yaml to etc/replication/group.yaml on production
                      --- etc/replication/group.yaml (before)
                      +++ etc/replication/group.yaml (after)

            """), "\(result.output.prefix(1500))")
        #expect(!result.output.contains("(new)"))
    }

    /// A step the site disables is named as `list` names it, its `{server}` placeholder filled,
    /// in the run's warning too.
    @Test func aDisabledStepIsNamedWithoutItsPlaceholder() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        try FileManager.default.createDirectory(atPath: site + "/scripts/configure", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: site + "/scripts/configure/19_delete_failover_context_changed_servers.lua.disabled"))
        let title = "Delete failover context on each server (changed servers)"
        let list = try CLITests.phasekit(["list", "configure", "--site", site])
        #expect(list.output.contains("\t\(title)\t[disabled]"), "\(list.output)")
        let run = try CLITests.phasekit(["run", "configure", "--site", site])
        #expect(run.output.contains("warning: step '\(title)' (configure/19_delete_failover_context_changed_servers) is disabled by the site"),
                "\(run.output.suffix(600))")
        #expect(!run.output.contains("{server}") && !list.output.contains("{server}"))
    }

    /// An unmet precondition prints its finding once, not again as an `error:` line with the same
    /// sentences: required services down, and a `backup_time` naming another backup.
    @Test func anUnmetPreconditionIsSaidOnce() throws {
        let down = try CrashRecoveryTests.sampleSite()   // no service started
        defer { CrashRecoveryTests.dispose(down) }
        let services = try CLITests.phasekit(["run", "sync", "--site", down])
        #expect(services.status == 3)
        #expect(services.output.components(separatedBy: "required services are not running").count == 2, "\(services.output)")
        #expect(!services.output.contains("error:"), "\(services.output)")

        let site = try Self.sampleSite("phasekit-backup-time")
        defer { CrashRecoveryTests.dispose(site) }
        let file = site + "/site.yaml"
        let yaml = try String(contentsOfFile: file, encoding: .utf8)
        try yaml.replacingOccurrences(of: "backup_time: \"2026-03-14T02:00:00Z\"", with: "backup_time: \"2026-03-14T02:00:01Z\"")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let wrong = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(wrong.status == 3, "\(wrong.output)")
        #expect(wrong.output.components(separatedBy: "not 2026-03-14T02:00:01Z").count == 2, "\(wrong.output)")
        #expect(!wrong.output.contains("error:"), "\(wrong.output)")
    }

    /// A `phase.warn` of a site step is printed under its step's row (in an analysis and in an
    /// execution off a terminal), not only at the end of the run, and not twice.
    @Test func aStepsWarningIsPrintedUnderItsStep() throws {
        let site = try Self.sampleSite("phasekit-step-warning")
        defer { CrashRecoveryTests.dispose(site) }
        try FileManager.default.createDirectory(atPath: site + "/scripts/sync/io", withIntermediateDirectories: true)
        try Data("""
            return { title = "Site: check reservations", section = "io", order = 4, description = "Site addition.",
                     run = function(ctx) phase.warn("reservations are not checked on " .. ctx.server) end }
            """.utf8).write(to: URL(fileURLWithPath: site + "/scripts/sync/io/4_check_reservations.lua"))
        for arguments in [["run", "sync", "--site", site], ["run", "sync", "--site", site, "--execute", "--yes"]] {
            let result = try CLITests.phasekit(arguments)
            #expect(result.status == 0 || result.status == 2, "\(result.output.suffix(600))")
            #expect(result.output.contains("  ✓ Site: check reservations\n      warning: reservations are not checked on cms\n"),
                    "\(arguments): \(result.output.suffix(1200))")
            #expect(result.output.components(separatedBy: "warning: reservations are not checked").count == 2, "\(result.output.suffix(1200))")
        }
    }

    /// In an execution that confirms once, a step's warning is listed with the plan and shown
    /// under its applied row, not a third time at the end.
    @Test func aWarningOfAnExecutionThatConfirmsOnceIsNotRepeatedAtTheEnd() throws {
        let site = try Self.sampleSite("phasekit-plan-warning")
        defer { CrashRecoveryTests.dispose(site) }
        try FileManager.default.createDirectory(atPath: site + "/scripts/configure", withIntermediateDirectories: true)
        try Data("""
            return { title = "Site: note", section = "configure", order = 3, description = "Site addition.",
                     run = function(ctx) phase.warn("noted once") end }
            """.utf8).write(to: URL(fileURLWithPath: site + "/scripts/configure/3_note.lua"))
        let result = try CLITests.phasekit(["run", "configure", "--site", site, "--execute", "--yes"])
        #expect(result.status == 0, "\(result.output.suffix(600))")
        #expect(result.output.components(separatedBy: "warning: noted once").count == 3, "\(result.output.suffix(1500))")
        #expect(result.output.contains("  ✓ Site: note\n      warning: noted once\n"), "\(result.output.suffix(1500))")
        let tail = try #require(result.output.range(of: "  ✓ Site: note\n", options: .backwards))
        #expect(result.output[tail.upperBound...].components(separatedBy: "warning: noted once").count == 2, "\(result.output.suffix(800))")
    }
}
