import Foundation
import TestSupport
import Testing

/// Signals before the operator confirms end an execution at once, nothing changed, exit 4
/// ("Not confirmed: nothing was changed."), on the built binary.
@Suite("Signals before confirmation end the run unconfirmed (built binary)", .serialized)
struct SignalAttackTests {
    /// A step that never ends (the signal is handled on another thread, so a C loop or a query
    /// would be stopped the same way).
    static let endlessAnalysis = "  while true do end"

    @Test("SIGTERM or SIGINT during the first analysis of an execution with --yes", arguments: [SIGTERM, SIGINT])
    func signalDuringTheFirstAnalysis(signal: Int32) throws {
        let site = try ProcedureSite()
        defer { site.remove() }
        // Confirms once and cannot be stopped once applying, like `configure`.
        try site.addProcedure("init", confirmOnce: true, interruptible: false,
                              steps: [ProcedureSite.marking("one"), Self.endlessAnalysis])
        var sentAt = Date()
        let run = try LimitedChild.run(["run", "init", "--site", site.directory, "--execute", "--yes", "--time-limit", "60"]) { child in
            // The run-started record is on disk before the analysis starts.
            #expect(Wait.until(30) { site.latestJournal() != nil })
            sentAt = Date()
            kill(child.pid, signal)
        }
        #expect(Date().timeIntervalSince(sentAt) < 2, "the signal took \(Date().timeIntervalSince(sentAt)) s to end the run")
        Self.expectUnconfirmed(run, site: site)
        let status = try LimitedChild.run(["status", "--site", site.directory])
        #expect(status.output.contains("init: finished (not-confirmed)"), "\(status.text)")
        // No report was stored (the signal ended the process); the journal tells how it ended.
        let history = try LimitedChild.run(["history", "--site", site.directory])
        #expect(history.output.contains("execution of init: not-confirmed (exit 4), 0 change(s) applied;"), "\(history.text)")
    }

    @Test func sigintAtTheProceedPromptEndsTheRunUnconfirmed() throws {
        let site = try ProcedureSite()
        defer { site.remove() }
        try site.addProcedure("init", confirmOnce: true, interruptible: false, steps: [ProcedureSite.marking("one")])
        let terminal = try PseudoTerminal()
        defer { terminal.close() }
        let run = try LimitedChild.run(["run", "init", "--site", site.directory, "--execute"], terminal: terminal.device) { child in
            #expect(Wait.until(30) { child.errorSoFar.contains("Proceed?") })
            kill(child.pid, SIGINT)
        }
        // The prompt warns that, once started, the run cannot be stopped; before that it can.
        #expect(run.text.contains("Once started, this procedure cannot be stopped. Proceed? [y/N]"), "\(run.text)")
        #expect(!run.text.contains("the signal is deferred"), "\(run.text)")
        Self.expectUnconfirmed(run, site: site)
    }

    @Test func sigtermDuringTheAnalysisOfAScriptExecutedWithYes() throws {
        let site = try ProcedureSite()
        defer { site.remove() }
        let script = site.directory + "/spin.lua"
        try """
            db.exec("INSERT INTO marks VALUES ('script')")
            files.write("script.txt", "x")
            while true do end
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try LimitedChild.run(["run", script, "--site", site.directory, "--execute", "--yes", "--time-limit", "60"]) { child in
            // The site lock's owner line is written before the analysis starts.
            #expect(Wait.until(30) { ((try? String(contentsOfFile: site.directory + "/state/lock", encoding: .utf8)) ?? "").contains("pid") })
            kill(child.pid, SIGTERM)
        }
        Self.expectUnconfirmed(run, site: site)
        #expect(!FileManager.default.fileExists(atPath: site.directory + "/script.txt"))
    }

    static func expectUnconfirmed(_ run: LimitedChild.Outcome, site: ProcedureSite) {
        #expect(!run.signaled && run.status == 4, "status \(run.status): \(run.text)")
        #expect(run.text.contains("Not confirmed: nothing was changed."), "\(run.text)")
        #expect((try? site.marks()) == [], "something was applied")
        #expect(!FileManager.default.fileExists(atPath: site.directory + "/one.txt"))
    }
}

/// A pseudo-terminal pair: the child gets the device as its standard input, so it asks
/// `Proceed? [y/N]` as on an operator's terminal.
final class PseudoTerminal {
    let master: Int32
    let device: String

    init() throws {
        // posix_openpt, grantpt, unlockpt and ptsname need _XOPEN_SOURCE, which Swift's Glibc
        // module does not define: looked up in the C library instead.
        typealias Open = @convention(c) (Int32) -> Int32
        typealias Descriptor = @convention(c) (Int32) -> Int32
        typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        let library = dlopen(nil, RTLD_NOW)
        guard let openSymbol = dlsym(library, "posix_openpt"), let grantSymbol = dlsym(library, "grantpt"),
              let unlockSymbol = dlsym(library, "unlockpt"), let nameSymbol = dlsym(library, "ptsname") else {
            throw POSIXError(.ENOSYS)
        }
        master = unsafeBitCast(openSymbol, to: Open.self)(O_RDWR | O_NOCTTY)
        guard master >= 0, unsafeBitCast(grantSymbol, to: Descriptor.self)(master) == 0,
              unsafeBitCast(unlockSymbol, to: Descriptor.self)(master) == 0,
              let name = unsafeBitCast(nameSymbol, to: Name.self)(master) else {
            throw POSIXError(.ENOTTY)
        }
        device = String(cString: name)
    }

    func close() { _ = Glibc.close(master) }
}
