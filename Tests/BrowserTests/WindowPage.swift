import Foundation
import TestSupport

/// What the browser tests read from the Configuration Window, through scripts run in the page
/// (the page's own markup: `data-state` on each cell, `data-run-state` on the progress).
extension HeadlessChromium {
    /// Opens the page and waits until it has loaded everything once.
    func open(_ site: ServedSite) throws {
        try driver.navigate(site.url)
        try waitUntil(30, "the page to load", script: "return document.body.getAttribute('data-ready') === 'true'")
    }

    /// The cells of a grid (`#progress-grid` or `#summary-grid`): step, server and state of each.
    func cells(_ grid: String) throws -> [(step: String, server: String, state: String)] {
        let value = try driver.execute("""
            return Array.from(document.querySelectorAll(arguments[0] + ' td[data-state]'))
              .map(function (cell) { return [cell.getAttribute('data-step'), cell.getAttribute('data-server'), cell.getAttribute('data-state')]; });
            """, [grid])
        return (value as? [[String]] ?? []).compactMap { $0.count == 3 ? ($0[0], $0[1], $0[2]) : nil }
    }

    /// The progress's run state (`running`, `finished`, ...), or nil before any run.
    func runState() throws -> String? {
        try driver.execute("var p = document.getElementById('progress-body'); return p.getAttribute('data-run-state');") as? String
    }

    /// The `done` count of every run update the page received, in order (its performance marks).
    func updates() throws -> [Int] {
        let value = try driver.execute("""
            return performance.getEntriesByName('phasekit-run-update').map(function (m) { return m.detail.done; });
            """)
        return value as? [Int] ?? []
    }

    /// Waits until the history lists the finished execution of configure (its report's ID, not
    /// the journal's of a run under way), then opens its report.
    func openExecutionReport() throws {
        let row = "Array.from(document.querySelectorAll('#history-table tbody tr')).find(function (r) { return /-execute-configure-/.test(r.getAttribute('data-run')); })"
        try waitUntil(30, "the execution in the history", script: "return \(row) !== undefined")
        try driver.execute("\(row).querySelector('button').click();")
    }

    /// Scrolls an element into view (for a screenshot of that part of the page).
    func scroll(to selector: String) throws {
        try driver.execute("var e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({block: 'start'});", [selector])
    }

    /// Whether a payload ran: an alert is open, or a flag the payloads set exists.
    func payloadRan() throws -> Bool {
        if try driver.alertText() != nil { return true }
        return try driver.execute("return typeof window.phasekitPwned !== 'undefined' || document.querySelectorAll('img, script:not([src])').length > 0") as? Bool ?? true
    }
}
