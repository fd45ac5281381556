import Foundation
import TestSupport
import Testing

/// The Configuration Window (`phasekit serve`, issue 26) in headless Chromium: the summary of a
/// pending change, an execution started from the CLI appearing row by row, the summary after
/// success, a failed row, an interrupted run with its resume command, a history entry with a
/// diff, and hostile titles, log lines and errors shown as text. Each state is saved as a
/// screenshot in `.build/artifacts/browser/`.
@Suite("Configuration window", .serialized, .enabled(if: HeadlessChromium.unavailable == nil, "Chromium cannot run here (the reason is printed above)"))
struct ConfigurationWindowTests {
    static let servers = ["production", "recovery1", "recovery2"]

    /// A site step that takes 2 to 3 s on recovery2 when it applies (its row writes a file, so
    /// execution applies it), so that the timeline has a slow lane; the journal's times are whole
    /// seconds, hence the wall clock (`os.time`) and whole seconds here.
    static let pacedStep = """
        return { title = "Site: pace the servers", section = "configure", order = 1, scope = "each",
                 description = "Takes longer on recovery2.", applies = function() return true end,
                 run = function(ctx)
                   if not files.exists("paced.txt") then files.write("paced.txt", "paced\\n") end
                   if ctx.mode ~= "execute" or ctx.server ~= "recovery2" then return end
                   local t = os.time() while os.time() - t < 3 do end
                 end }
        """

    @Test func aPendingChangeThenALiveExecutionThenTheSummaryAndItsHistory() throws {
        let site = try ServedSite { try ServedSite.write(step: Self.pacedStep, to: $0 + "/scripts/configure/01b_pace.lua") }
        defer { site.dispose() }
        try site.serve()
        let browser = try HeadlessChromium(directory: TestScratch.path("chromium"))
        defer { browser.quit() }
        try browser.open(site)

        // The pending change: its steps per server, none done yet.
        try browser.waitUntil(10, "the pending change", script: "return document.getElementById('summary-body').getAttribute('data-pending') === 'true'")
        let pending = try browser.cells("#summary-grid")
        #expect(Set(pending.map(\.server)).isSuperset(of: Self.servers), "\(pending)")
        #expect(!pending.isEmpty && pending.allSatisfy { $0.state == "pending" }, "\(pending)")
        try browser.screenshot("01-pending-change-summary")
        try browser.driver.resize(width: 390, height: 844)
        try browser.screenshot("01b-pending-change-summary-phone")
        try browser.driver.resize(width: 1280, height: 900)

        // An execution started from the CLI: rows turn done one after the other, live.
        let run = try site.start(["run", "configure", "--execute", "--yes"])
        try browser.scroll(to: "#progress")
        try browser.waitUntil(60, "a row done while others run", script: """
            var p = document.getElementById('progress-body');
            var done = Number(p.getAttribute('data-done')), total = Number(p.getAttribute('data-total'));
            return p.getAttribute('data-run-state') === 'running' && done > 0 && done < total;
            """)
        try browser.waitUntil(10, "the summary following the run", script: "return document.querySelector('#summary-grid td[data-state=done]') !== null")
        try browser.screenshot("02-execution-running")
        run.waitUntilExit()
        #expect(run.terminationStatus == 0)
        try browser.waitUntil(30, "the run to finish", script: "return document.getElementById('progress-body').getAttribute('data-run-state') === 'finished'")
        let finished = try browser.cells("#progress-grid")
        for server in Self.servers {
            let own = finished.filter { $0.server == server }
            #expect(!own.isEmpty && own.allSatisfy { $0.state == "done" || $0.state == "skipped" }, "\(server): \(own)")
        }
        #expect(try browser.text("#progress-grid td[data-state=done] .word") == "done", "each mark says what it means")
        // A real table: a column header per server, a row header per step, a word for each mark.
        let headers = try browser.driver.execute("""
            var g = document.getElementById('progress-grid');
            return [Array.from(g.querySelectorAll('thead th[scope=col]')).map(function (h) { return h.textContent; }),
                    g.querySelectorAll('tbody th[scope=row]').length, g.querySelectorAll('tbody tr').length];
            """) as? [Any]
        #expect((headers?.first as? [String]) == ["Step"] + Self.servers, "\(headers ?? [])")
        #expect(headers?.count == 3 && headers?[1] as? Int == headers?[2] as? Int, "\(headers ?? [])")
        let updates = try browser.updates()
        #expect(Set(updates).count >= 3, "the rows appeared over several updates, not at once: \(updates)")
        #expect(updates == updates.sorted(), "done only grows: \(updates)")
        try browser.screenshot("03-execution-finished")
        try browser.driver.resize(width: 390, height: 844)
        try browser.scroll(to: "#progress")
        try browser.screenshot("03b-execution-finished-phone")
        try browser.driver.resize(width: 1280, height: 900)

        // No pending change any more: the normal summary, server by server.
        try browser.waitUntil(15, "the normal summary", script: "return document.getElementById('summary-body').getAttribute('data-pending') === 'false'")
        let cards = try browser.driver.execute("return Array.from(document.querySelectorAll('#summary-body .server h3')).map(function (h) { return h.textContent; })") as? [String]
        #expect(Set(cards ?? []).isSuperset(of: Self.servers), "\(cards ?? [])")
        try browser.scroll(to: "#summary")
        try browser.screenshot("04-summary-after-success")
        try browser.scroll(to: "#timeline")
        #expect(try browser.text(".lane.slowest .lane-label strong") == "recovery2", "the slow server stands out")
        try browser.screenshot("05-timeline")

        // The history: the execution's report with a file diff.
        try browser.openExecutionReport()
        try browser.waitUntil(15, "the report's diff", script: "return document.querySelectorAll('#report .diff .diff-add').length > 0")
        try browser.scroll(to: "#report .diff")
        try browser.screenshot("06-history-report-diff")
    }

    /// A site step with a hostile title and log line that fails on recovery1 with a hostile message.
    static let hostileStep = #"""
        return { title = "<img src=x onerror=alert(1)><script>window.phasekitPwned=1</script>", section = "configure", order = 12, scope = "each",
                 description = "Fails on one server.", applies = function() return true end,
                 run = function(ctx)
                   phase.log('"><img src=x onerror="window.phasekitPwned=2"> javascript:alert(3)')
                   if not files.exists("hostile.txt") then files.write("hostile.txt", "x\n") end
                   if ctx.server == "recovery1" and ctx.mode == "execute" then error("<script>window.phasekitPwned=3</script> disk array offline") end
                 end }
        """#

    @Test func aFailedRowAndHostileTextShownAsText() throws {
        let site = try ServedSite { try ServedSite.write(step: Self.hostileStep, to: $0 + "/scripts/configure/12b_hostile.lua") }
        defer { site.dispose() }
        try site.serve()
        let browser = try HeadlessChromium(directory: TestScratch.path("chromium"))
        defer { browser.quit() }
        try browser.open(site)
        let title = "<img src=x onerror=alert(1)><script>window.phasekitPwned=1</script>"
        try browser.waitUntil(10, "the hostile title in the summary", script: "return document.getElementById('summary-grid').textContent.indexOf(arguments[0]) >= 0", [title])

        let run = try ServedSite.phasekit(["run", "configure", "--site", site.directory, "--execute", "--yes"])
        #expect(run.status == 1, "\(run.output.suffix(400))")
        try browser.waitUntil(30, "the failed row", script: "return document.querySelector('#progress-grid td[data-state=failed]') !== null")
        let failed = try browser.cells("#progress-grid").filter { $0.state == "failed" }
        #expect(failed.map(\.server) == ["recovery1"], "\(failed)")
        #expect(try browser.text("#run-banner")?.contains("failed with an error") == true, "the banner says how the run ended")
        #expect(try browser.text("#progress-grid td[data-state=failed] .cell-error")?.contains("<script>window.phasekitPwned=3</script> disk array offline") == true)
        #expect(try browser.text("#progress-grid tr[data-step] .step-title")?.isEmpty == false)
        let titles = try browser.driver.execute("return Array.from(document.querySelectorAll('#progress-grid .step-title')).map(function (t) { return t.textContent; })") as? [String]
        #expect(titles?.contains(title) == true, "the title is text, as written: \(titles ?? [])")
        try browser.scroll(to: "#progress-grid tr[data-step='configure/12b_hostile']")
        try browser.screenshot("07-failed-row-hostile-title")

        // The failed run's report carries the hostile log line, as text too.
        try browser.openExecutionReport()
        try browser.waitUntil(15, "the log line in the report", script: "return document.getElementById('report-body').textContent.indexOf('onerror=\"window.phasekitPwned=2\"') >= 0")
        try browser.scroll(to: "#report [data-step='configure/12b_hostile'] .log")
        try browser.screenshot("08-report-hostile-log")
        #expect(try browser.payloadRan() == false, "no payload ran: no alert, no window.phasekitPwned, no img or inline script element")
    }

    @Test func aSavedPlanIsShownWithItsDiffs() throws {
        let site = try ServedSite()
        defer { site.dispose() }
        let plan = site.directory + "/plan.json"
        let saved = try ServedSite.phasekit(["run", "configure", "--site", site.directory, "--plan-out", plan])
        #expect(saved.status == 2, "\(saved.output.suffix(400))")
        try site.serve(["--plan", plan])
        let browser = try HeadlessChromium(directory: TestScratch.path("chromium"))
        defer { browser.quit() }
        try browser.open(site)
        try browser.waitUntil(10, "the plan", script: "return !document.getElementById('plan').hidden && document.querySelectorAll('#plan-report .diff .diff-add').length > 0")
        #expect(try browser.text("#plan-report .report-head")?.contains("plan of configure") == true)
        try browser.scroll(to: "#plan")
        try browser.screenshot("10-saved-plan")
    }

    @Test func livePushReconnectsAfterTheServerComesBack() throws {
        let site = try ServedSite()
        defer { site.dispose() }
        try site.serve()
        let browser = try HeadlessChromium(directory: TestScratch.path("chromium"))
        defer { browser.quit() }
        try browser.open(site)
        let connection = "return document.getElementById('connection').getAttribute('data-state') === arguments[0]"
        try browser.waitUntil(10, "live updates", script: connection, ["live"])
        site.killServer()
        try browser.waitUntil(10, "the lost connection said", script: "return document.getElementById('connection').getAttribute('data-state') !== 'live'")
        try browser.screenshot("11-connection-lost")
        try site.serve()
        let run = try ServedSite.phasekit(["run", "configure", "--site", site.directory, "--execute", "--yes"])
        #expect(run.status == 0, "\(run.output.suffix(400))")
        try browser.waitUntil(40, "live again, with the run pushed", script: """
            return document.getElementById('connection').getAttribute('data-state') === 'live'
              && document.getElementById('progress-body').getAttribute('data-run-state') === 'finished';
            """)
    }

    @Test(.enabled(if: BuiltPhasekit.injectsFaults, "fault injection is compiled into debug builds only"))
    func anInterruptedRunShowsTheResumeCommand() throws {
        let site = try ServedSite()
        defer { site.dispose() }
        try site.serve()
        let browser = try HeadlessChromium(directory: TestScratch.path("chromium"))
        defer { browser.quit() }
        try browser.open(site)
        // The run blocks for good after its 40th journal record; then it is killed, as a crash would.
        let run = try site.start(["run", "configure", "--execute", "--yes"], environment: ["PHASEKIT_HANG_AT": "journal:40"])
        try browser.scroll(to: "#progress")
        try browser.waitUntil(60, "the run under way", script: """
            var p = document.getElementById('progress-body');
            return p.getAttribute('data-run-state') === 'running' && Number(p.getAttribute('data-done')) > 0;
            """)
        #expect(try browser.text("#run-banner")?.contains("cannot be stopped once started") == true)
        kill(run.processIdentifier, SIGKILL)
        run.waitUntilExit()
        try browser.waitUntil(30, "the interrupted state", script: "return document.getElementById('progress-body').getAttribute('data-run-state') === 'interrupted'")
        #expect(try browser.text("#resume-command")?.contains("phasekit resume") == true)
        try browser.screenshot("09-interrupted-resume-command")
        let status = try ServedSite.phasekit(["status", "--site", site.directory])
        #expect(status.output.contains("interrupted"), "\(status.output)")
    }
}
