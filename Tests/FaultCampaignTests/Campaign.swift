import Foundation
import TestSupport

/// Runs cases: a fresh sample site, the interrupted execution, the model's outcome, the operator's
/// way on, and the end; every difference from the model is a ``Violation``.
final class Campaign {
    let machine: Capabilities
    let terminal: TerminalRunner
    let hosts: SSHHosts?
    let references: References
    let driver: FaultDriver

    init() throws {
        let ssh = FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh")
        // Mounting needs root; the full-disk kind is left out elsewhere.
        let smallDisk = getuid() == 0 && (try? SmallFileSystem(megabytes: 1)).map { $0.remove(); return true } == true
        machine = Capabilities(ssh: ssh, smallDisk: smallDisk,
                               postgres: PostgresScratch.restartable,
                               faultPoints: BuiltPhasekit.injectsFaults)
        terminal = try TerminalRunner()
        hosts = ssh ? try SSHHosts() : nil
        references = References(terminal: terminal, hosts: hosts)
        driver = FaultDriver(terminal: terminal, hosts: hosts, faultPoints: machine.faultPoints)
    }

    func close() {
        terminal.close()
        hosts?.stop()
    }

    /// Runs the case of `seed`; how it went (the outcome taken, the phases confirmed, what the
    /// interruption hit) and its violations (empty: the binary kept the model).
    func run(seed: UInt64) throws -> (FaultCase, String, [Violation]) {
        let fault = CasePicker.pick(seed: seed, on: machine)
        // Servers on hosts use fixed roots, so their references are made before the case's site.
        if fault.placement == .ssh {
            for phases in 0...fault.procedure.prompts { _ = try references.world(.prefix(phases), fault.procedure, fault.placement) }
        }
        let site = try CaseSite(fault.placement, hosts: hosts, smallDisk: fault.interruption == .fullDisk)
        defer { site.remove() }
        let interrupted = try driver.interrupt(fault, on: site)
        if let folder = ProcessInfo.processInfo.environment["PHASEKIT_FAULT_TRANSCRIPTS"] {
            // What the operator's terminal showed, kept for diagnosis; a transcript that cannot be written is only missing.
            try? "\(fault)\n\(interrupted.run.exit)\n\(interrupted.run.output)\n".write(toFile: "\(folder)/seed-\(seed).txt", atomically: true, encoding: .utf8)
        }
        // The operator's first act after a full disk: free space (status and history then read it).
        if fault.interruption == .fullDisk { site.disk?.free() }
        let reading = try SiteReading.read(site)
        let world = try site.world()
        let outcomes = InterruptionModel.outcomes(of: fault, confirmed: interrupted.confirmed, landed: interrupted.landed)
        // The outcome the run took: the first the run keeps, else the closest (fewest violations).
        var chosen: (Outcome, [Violation])?
        for outcome in outcomes {
            let expectedWorld = try references.world(outcome.world, fault.procedure, fault.placement)
            let changes = try outcome.historyCounts.map { try references.changes(ofFirst: $0, fault.procedure, fault.placement) }
            let reported = try outcome.reportsApplied.map { try references.changes(ofFirst: $0, fault.procedure, fault.placement) }
            let found = FaultChecker.checkRun(interrupted.run, outcome, world: world, expectedWorld: expectedWorld,
                                              reading: reading, historyChanges: changes, reportedChanges: reported)
            if chosen == nil || found.count < chosen?.1.count ?? 0 { chosen = (outcome, found) }
            if found.isEmpty { break }
        }
        let account = "\(chosen?.0.name ?? "no outcome"), \(interrupted.confirmed) confirmed, \(interrupted.note)"
        guard let (outcome, runViolations) = chosen else { return (fault, account, []) }
        var violations = runViolations.map { tagged($0, account) }
        for (index, step) in outcome.wayOn.enumerated() {
            violations += try follow(step, number: index + 1, fault: fault, site: site)
        }
        // The operator brings a stopped host back in any case before the end is checked.
        try restoreHost(fault)
        let end = try references.world(.end, fault.procedure, fault.placement) ?? [:]
        let analysis = try PhasekitProcess.run(["run", fault.procedure.rawValue, "--site", site.directory, "--time-limit", "300"])
        let resume = try PhasekitProcess.run(["resume", "--site", site.directory])
        violations += FaultChecker.checkEnd(world: try site.world(), end: end, analysis: analysis, resume: resume,
                                            reading: try SiteReading.read(site), total: try references.total(fault.procedure, fault.placement))
        return (fault, account, violations)
    }

    /// Does one step of the way on and checks what it gives.
    private func follow(_ step: WayOnStep, number: Int, fault: FaultCase, site: CaseSite) throws -> [Violation] {
        let resume = ["resume", "--site", site.directory, "--time-limit", "300"]
        let result: PhasekitProcess.Result
        switch step.action {
        case .restoreHost:
            try restoreHost(fault)
            return []
        case .resume:
            result = try PhasekitProcess.run(resume)
        case .resumeKilled:
            result = try PhasekitProcess.run(resume, environment: ["PHASEKIT_CRASH_AT": "journal:2"])
        case .runAgain:
            result = try PhasekitProcess.run(["run", fault.procedure.rawValue, "--site", site.directory, "--execute", "--yes", "--time-limit", "300"])
        case .resumeOnTerminal:
            let run = try terminal.run(resume) { _ in .keys(["y", "Enter"]) }
            result = PhasekitProcess.Result(exit: run.exit, output: run.output)
        }
        var found: [Violation] = []
        let promise = "way on \(number): \(step.action.rawValue)"
        if !step.exits.contains(result.exit) {
            found.append(Violation(promise: promise, expected: step.exits.map(\.description).joined(separator: " or "),
                                   seen: "\(result.exit): \(FaultChecker.tail(result.output))"))
        }
        if let text = step.says, !result.output.contains(text) {
            found.append(Violation(promise: promise, expected: "'\(text)'", seen: FaultChecker.tail(result.output)))
        }
        if let expected = try references.world(step.world, fault.procedure, fault.placement) {
            let world = try site.world()
            if world != expected {
                found.append(Violation(promise: "\(promise) leaves the world \(step.world)", expected: step.world.description,
                                       seen: References.difference(expected, world)))
            }
        }
        return found
    }

    /// Starts the sshd of the case's host again when the case stopped it.
    private func restoreHost(_ fault: FaultCase) throws {
        guard fault.interruption == .sshdGone, let hosts, !SSHHosts.accepts(port: hosts.ports[fault.host - 1]) else { return }
        try hosts.start(fault.host)
    }

    private func tagged(_ violation: Violation, _ context: String) -> Violation {
        var violation = violation
        violation.promise += " (\(context))"
        return violation
    }
}
