import Foundation
import PhaseKit
import TestSupport

/// Target 8 (issue 26's item 9): the Configuration Window of `phasekit serve`.
///
/// 8a: the time from a journal record to the page's update, in headless Chromium: the bench
/// writes a run's journal itself through ``Journal`` (one row every 150 ms, so that no two
/// records share a push) and the page marks each update it draws (`performance.mark`, with the
/// run's `done` count); the latency of row k is the mark of the first update with `done == k`
/// minus the time its `step-finished` record was durable (both on this machine's wall clock).
/// 8b: a configure execution of the sample site (the CLI, `run configure --execute --yes`) with
/// `phasekit serve` on the site and 50 open pages vs none; the pages are 50 raw SSE clients
/// (``SSEClients``) rather than browser tabs, so that the machine's cost of rendering 50 pages is
/// not counted as the server's. 8c: `serve`'s resident memory with those 50 clients.
enum PageBench {
    static var phasekit: String { releaseDirectory() + "/phasekit" }

    /// `phasekit serve` on a site and a free 127.0.0.1 port; ``stop()`` ends it.
    struct Server {
        let process: Process
        let port: Int

        init(site: String) throws {
            port = try SSHHosts.freePort()
            process = Process()
            process.executableURL = URL(fileURLWithPath: PageBench.phasekit)
            process.arguments = ["serve", "--site", site, "--listen", "127.0.0.1:\(port)"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let port = port
            guard Wait.until(30, { SSHHosts.accepts(port: port) }) else { throw BenchError("phasekit serve did not listen within 30 s") }
        }

        /// The server's resident and peak resident memory in bytes, from /proc; throws when they
        /// cannot be read (never a made-up zero).
        func memory() throws -> (resident: Int, peak: Int) {
            let text = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
            func field(_ name: String) throws -> Int {
                let line = text.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
                guard let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
                    throw BenchError("no \(name) in /proc/\(process.processIdentifier)/status")
                }
                return kibibytes * 1024
            }
            return (try field("VmRSS"), try field("VmHWM"))
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    static func run(rounds: Int, directory: String) throws -> [ResultRow] {
        var rows = [try latency(directory: directory, records: 60)]
        rows.append(contentsOf: try executionCost(rounds: rounds, directory: directory, pages: 50))
        return rows
    }

    /// A fresh sample site with no service running.
    static func sampleSite(_ path: String) throws {
        let written = try runChild([phasekit, "sample-site", path, "--no-services"])
        guard written.status == 0 else { throw BenchError("phasekit sample-site failed (exit \(written.status))") }
    }

    /// 8a: journal record to page update, p50 and p95 over `records` rows.
    static func latency(directory: String, records: Int) throws -> ResultRow {
        let name = "8a. page update after a journal record"
        if let reason = HeadlessChromium.unavailable {
            return ResultRow(benchmark: name, subject: "skipped", baseline: "-", ratio: .nan, target: "p95 <= 200 ms", passed: nil, note: reason)
        }
        let site = directory + "/page-latency"
        try sampleSite(site)
        // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
        defer { try? FileManager.default.removeItem(atPath: site) }
        let server = try Server(site: site)
        defer { server.stop() }
        let browser = try HeadlessChromium(directory: URL(fileURLWithPath: directory + "/chromium"))
        defer { browser.quit() }
        try browser.driver.navigate("http://127.0.0.1:\(server.port)/")
        try browser.waitUntil(30, "the page", script: "return document.body.getAttribute('data-ready') === 'true' && document.getElementById('connection').getAttribute('data-state') === 'live'")

        let written = try writeRun(site: site, rows: records)
        try browser.waitUntil(30, "the last row on the page", script: "return Number(document.getElementById('progress-body').getAttribute('data-done')) >= arguments[0]", [records])
        let marks = try browser.driver.execute("""
            return performance.getEntriesByName('phasekit-run-update').map(function (m) { return [performance.timeOrigin + m.startTime, m.detail.done]; });
            """) as? [[Double]] ?? []
        var samples: [Double] = []
        for (index, at) in written.enumerated() {
            guard let shown = marks.first(where: { Int($0[1]) == index + 1 }) else { throw BenchError("the page never showed row \(index + 1) done") }
            samples.append(shown[0] - at)
        }
        let sorted = samples.sorted()
        let p50 = sorted[sorted.count / 2], p95 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
        return ResultRow(
            benchmark: name, subject: String(format: "p95 %.0f ms", p95), baseline: String(format: "p50 %.0f ms", p50),
            ratio: .nan, target: "p95 <= 200 ms", passed: p95 <= 200,
            note: "\(records) rows of a run whose journal the bench writes through `Journal` (step-started then step-finished, one row per 150 ms); "
                + "the page in headless Chromium marks each update it draws (performance.mark with the run's done count); latency = the mark of "
                + "the first update showing row k done - the time row k's step-finished record was durable; max " + String(format: "%.0f ms", sorted.last ?? 0)
        )
    }

    /// Writes an execution's journal row by row; returns, per row, when its step-finished record
    /// was durable (milliseconds since 1970, as the browser's clock counts).
    static func writeRun(site: String, rows: Int) throws -> [Double] {
        let configuration = try SiteConfiguration.load(directory: site)
        let servers = ["production", "recovery1", "recovery2"]
        let keys = (0..<rows).map { Journal.key(step: String(format: "bench/%02d_row", $0 / servers.count), server: servers[$0 % servers.count]) }
        let journal = try Journal(stateDirectory: configuration.stateDirectory, runID: "bench-page-\(getpid())")
        var started = Journal.Entry(event: .runStarted)
        started.procedure = "configure"
        started.mode = .execute
        started.rows = keys
        started.rowTitles = (0..<rows).map { "Bench row \($0 / servers.count) on \(servers[$0 % servers.count])" }
        started.pid = getpid()
        started.confirmedUpFront = true
        try journal.append(started)
        var durable: [Double] = []
        for index in 0..<rows {
            usleep(150_000)
            var entry = Journal.Entry(event: .stepStarted)
            entry.step = String(format: "bench/%02d_row", index / servers.count)
            entry.server = servers[index % servers.count]
            try journal.append(entry)
            entry.event = .stepFinished
            entry.at = Date()
            entry.state = "done"
            try journal.append(entry)
            durable.append(Date().timeIntervalSince1970 * 1000)
        }
        var finished = Journal.Entry(event: .runFinished)
        finished.state = RunReport.Outcome.applied.rawValue
        finished.applied = 0
        try journal.append(finished)
        return durable
    }

    /// 8b and 8c: a configure execution with 50 open pages vs none, and serve's memory.
    static func executionCost(rounds: Int, directory: String, pages: Int) throws -> [ResultRow] {
        var memory: [(resident: Int, peak: Int)] = [], idle: [Int] = [], pushed: [Int] = []
        func once(_ clients: Int) throws -> Double {
            let site = directory + "/page-execution"
            try sampleSite(site)
            defer {
                ConfigureBench.stopServices(site: site)
                // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
                try? FileManager.default.removeItem(atPath: site)
            }
            let server = try Server(site: site)
            defer { server.stop() }
            if clients == 0 { idle.append(try server.memory().resident) }
            let readers = try SSEClients(count: clients, port: server.port)
            defer { readers.close() }
            usleep(300_000)   // the connections are open and got their first event
            let execution = try runChild([phasekit, "run", "configure", "--site", site, "--execute", "--yes"])
            guard execution.status == 0 else { throw BenchError("configure execution failed (exit \(execution.status))") }
            usleep(300_000)   // the last records reached the clients
            if clients > 0 {
                memory.append(try server.memory())
                pushed.append(readers.bytes)
            }
            return execution.nanoseconds
        }
        let samples = try PairedSamples.collect(rounds: rounds) { try once(pages) } baseline: { try once(0) }
        let ratio = samples.medianRatio
        let resident = median(memory.map { Double($0.resident) }), peak = median(memory.map { Double($0.peak) })
        return [
            ResultRow(
                benchmark: "8b. configure execution with \(pages) open pages", subject: formatDuration(nanoseconds: median(samples.subject)) + " (\(pages) pages)",
                baseline: formatDuration(nanoseconds: median(samples.baseline)) + " (none)", ratio: ratio, target: "<= 1.05x", passed: ratio <= 1.05,
                note: "`phasekit run configure --execute --yes` on a fresh sample site (48 rows, 3 servers) with `phasekit serve` on it; "
                    + "the pages are \(pages) raw SSE clients of /api/events reading every push (not browser tabs); \(rounds) pairs; "
                    + "the clients received \(Int(median(pushed.map(Double.init))) / 1024) KiB per execution together"
            ),
            ResultRow(
                benchmark: "8c. serve memory with \(pages) open pages", subject: String(format: "%.1f MiB RSS", resident / 1_048_576),
                baseline: String(format: "%.1f MiB idle", median(idle.map(Double.init)) / 1_048_576), ratio: .nan, target: "-", passed: nil,
                note: String(format: "VmRSS of `phasekit serve` after an execution pushed to %d SSE clients (peak VmHWM %.1f MiB), "
                    + "against its VmRSS with no page open", pages, peak / 1_048_576)
            ),
        ]
    }
}
