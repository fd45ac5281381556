import Foundation
import TestSupport
import Testing

/// The live part of the window: `/api/events` pushes the run as its journal grows, an execution
/// from the CLI is seen to its end, a run whose process died is interrupted, and a browsing
/// session leaves the site exactly as it was.
@Suite("phasekit serve: live and read-only", .serialized)
struct ServeLiveTests {
    @Test func eventsDeliverEachJournalRecordAndTellTheLatency() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let rows = (1...6).map { "configure/0\($0)_step@production" }
        let journal = try SyntheticJournal(site: site, pid: getpid(), rows: rows)
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        let events = try EventReader(port: serve.port)
        defer { events.close() }
        #expect(Wait.until(10) { !events.received.isEmpty }, "the stream opens with the current run")
        let first = try #require(events.received.first?.json)
        #expect(first["state"] as? String == "running")
        #expect(first["total"] as? Int == 6 && first["done"] as? Int == 0)

        var latencies: [Double] = []
        for index in rows.indices {
            let before = events.received.count
            let written = Date()
            try journal.row(index, "step-started")
            try journal.row(index, "step-finished", state: "done")
            #expect(Wait.until(10) { events.received.dropFirst(before).contains { ($0.json["done"] as? Int) == index + 1 } }, "row \(index)")
            if let seen = events.received.dropFirst(before).first(where: { ($0.json["done"] as? Int) == index + 1 }) {
                latencies.append(seen.at.timeIntervalSince(written) * 1000)
            }
        }
        latencies.sort()
        print("serve: journal record to event, ms: median \(latencies[latencies.count / 2]), max \(latencies.last ?? 0) over \(latencies.count)")
        #expect((latencies.last ?? 0) < 5000, "generous bound: an event within 5 s")

        try journal.finish("applied")
        #expect(Wait.until(10) { events.received.last?.json["state"] as? String == "finished" })
        let done = try serve.get("/api/run")
        let document = try #require(try JSONSerialization.jsonObject(with: done.body) as? [String: Any])
        #expect(document["state"] as? String == "finished")
        let cells = try #require(document["cells"] as? [[String: Any]])
        #expect(cells.count == 6 && cells.allSatisfy { $0["state"] as? String == "done" && $0["startedAt"] is String && $0["finishedAt"] is String })
    }

    @Test func aRunWhoseProcessDiesWithoutALastRecordTurnsInterruptedOnTheStream() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let runner = Process()
        runner.executableURL = URL(fileURLWithPath: "/bin/sleep")
        runner.arguments = ["60"]
        try runner.run()
        defer { if runner.isRunning { kill(runner.processIdentifier, SIGKILL) }; runner.waitUntilExit() }
        let journal = try SyntheticJournal(site: site, pid: runner.processIdentifier, rows: ["configure/01_save_configuration@"])
        try journal.row(0, "step-started")
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        let events = try EventReader(port: serve.port)
        defer { events.close() }
        #expect(Wait.until(10) { events.received.last?.json["state"] as? String == "running" })
        let killed = Date()
        kill(runner.processIdentifier, SIGKILL)
        #expect(Wait.until(10) { events.received.last?.json["state"] as? String == "interrupted" })
        print("serve: a dead run shown interrupted after \(Int(Date().timeIntervalSince(killed) * 1000)) ms")
        let cells = events.received.last?.json["cells"] as? [[String: Any]]
        #expect(cells?.first?["state"] as? String == "interrupted")
    }

    @Test func aRunWhoseProcessIsGoneIsInterruptedWithTheResumeCommand() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let rows = ["configure/01_save_configuration@", "configure/02_copy_configuration@production", "configure/02_copy_configuration@recovery1"]
        let journal = try SyntheticJournal(site: site, pid: gone.processIdentifier, rows: rows)
        try journal.row(0, "step-started")
        try journal.row(0, "step-finished", state: "done")
        try journal.row(1, "step-started")
        try journal.row(2, "step-started")
        try journal.row(2, "step-finished", state: "failed", message: "copy failed: <b>disk</b> full")
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        let response = try serve.get("/api/run")
        let document = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        #expect(document["state"] as? String == "interrupted")
        #expect(document["resumeCommand"] as? String == "phasekit resume --site \(site)")
        let cells = try #require(document["cells"] as? [[String: Any]])
        #expect(cells.map { $0["state"] as? String } == ["done", "interrupted", "failed"])
        #expect(cells[2]["error"] as? String == "copy failed: <b>disk</b> full")
        #expect(document["servers"] as? [String] == ["production", "recovery1"])
        let summary = try #require(try JSONSerialization.jsonObject(with: serve.get("/api/summary").body) as? [String: Any])
        let configure = try #require(summary["configure"] as? [String: Any])
        #expect(configure["pending"] as? Bool == true)
        let states = (configure["rows"] as? [[String: Any]])?.map { $0["state"] as? String }
        #expect(states == ["done", "needs-action", "failed"], "\(configure)")
    }

    @Test func anExecutionFromTheCLIIsSeenToItsEndAndTheSummaryTurnsNormal() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        let pending = try #require(try JSONSerialization.jsonObject(with: serve.get("/api/summary").body) as? [String: Any])
        let before = try #require(pending["configure"] as? [String: Any])
        #expect(before["pending"] as? Bool == true, "\(before)")
        #expect((before["changes"] as? [String])?.contains { $0.contains("lv_invoices") } == true, "\(before)")
        let rows = try #require(before["rows"] as? [[String: Any]])
        #expect(rows.contains { $0["title"] as? String == "Copy configuration to production" && $0["state"] as? String == "pending" })
        #expect(!rows.contains { ($0["step"] as? String)?.hasPrefix("configure/07") == true }, "rows the analysis passes over are not listed")
        let sync = try #require(pending["sync"] as? [String: Any])
        #expect((sync["phases"] as? [[String: Any]])?.count == 5, "\(sync)")

        let events = try EventReader(port: serve.port)
        defer { events.close() }
        let run = try ServeSite.run(["run", "configure", "--site", site, "--execute", "--yes"])
        #expect(run.status == 0, "\(run.output)")
        #expect(Wait.until(20) { events.received.last?.json["state"] as? String == "finished" }, "\(events.received.count) events")
        let last = try #require(events.received.last?.json)
        #expect(last["done"] as? Int == last["total"] as? Int)
        #expect(last["procedure"] as? String == "configure")
        #expect(last["cannotBeStopped"] as? Bool == true)
        print("serve: \(events.received.count) events during the configure execution")

        let after = try #require(try JSONSerialization.jsonObject(with: serve.get("/api/summary").body) as? [String: Any])
        let configure = try #require(after["configure"] as? [String: Any])
        #expect(configure["pending"] as? Bool == false, "\(configure)")
        #expect((configure["group"] as? [String: Any])?["name"] as? String == "payroll")
        let servers = try #require(configure["servers"] as? [[String: Any]])
        #expect(servers.map { $0["name"] as? String } == ["production", "recovery1", "recovery2"])
        #expect(servers.allSatisfy { $0["reachable"] as? Bool == true })
        #expect((servers[0]["volumes"] as? [[String: Any]])?.contains { $0["name"] as? String == "lv_invoices" } == true)
        #expect((servers[2]["drivers"] as? [String]) == ["mx_apply"])
    }
}
