import Foundation
import TestSupport

/// Runs a case's execution on a terminal and interrupts it as the case says: at a prompt, at an
/// exact fault point (`PHASEKIT_CRASH_AT`, `PHASEKIT_HANG_AT` then a signal), or once the journal
/// holds enough records (a signal, a killed agent or ssh client, a stopped sshd, a full disk).
struct FaultDriver {
    let terminal: TerminalRunner
    let hosts: SSHHosts?
    let faultPoints: Bool

    /// What happened: the run as the operator saw it, the phases confirmed before the
    /// interruption, and whether it hit a living run.
    struct Interrupted {
        var run: TerminalRunner.Run
        var confirmed: Int
        var landed: Bool
        var note: String
    }

    func interrupt(_ fault: FaultCase, on site: CaseSite) throws -> Interrupted {
        var arguments = ["run", fault.procedure.rawValue, "--site", site.directory, "--execute", "--time-limit", "300"]
        if fault.confirmation.upFront { arguments.append("--yes") }
        if fault.confirmation == .plan {
            // The plan of the untouched site, saved just before: the execution must apply it one for one.
            let plan = site.directory + "-plan.json"
            let saved = try PhasekitProcess.run(["run", fault.procedure.rawValue, "--site", site.directory, "--plan-out", plan, "--time-limit", "300"])
            guard saved.exit == .code(2) else { throw PhasekitProcess.Failure(description: "--plan-out: \(saved.exit): \(saved.output.suffix(800))") }
            arguments += ["--plan", plan]
        }
        var environment: [String: String] = [:]
        let signal = fault.interruption.signal
        // The run holds at the point for the signal (sync applies interruptibly: the signal ends it).
        let hangs = signal != nil && fault.interruption != .sigkill && faultPoints
            && (fault.moment == .analysis || (fault.procedure.interruptible && fault.moment.point != nil))
        if fault.interruption == .sigkill, let point = fault.moment.point { environment["PHASEKIT_CRASH_AT"] = point }
        if hangs, let point = fault.moment.point { environment["PHASEKIT_HANG_AT"] = point }
        // A full disk or a restart comes at an exact point: the run pauses there, the disk is filled
        // (the server restarted), it goes on.
        let stopFile = TestScratch.path("campaign-stop").path
        let stops = (fault.interruption == .fullDisk || fault.interruption == .postgresRestart) && faultPoints
        if stops, let point = fault.moment.point {
            environment["PHASEKIT_STOP_AT"] = point
            environment["PHASEKIT_STOP_FILE"] = stopFile
        }
        var confirmed = 0, landed = fault.interruption == .sigkill, done = false, note = fault.interruption == .sigkill ? "fault point" : "never reached"
        let run = try terminal.run(arguments, environment: environment, answer: { prompt in
            if !done, case .prompt(let number) = fault.moment, number == prompt {
                done = true
                landed = true
                note = "at the prompt"
                switch fault.interruption {
                case .ctrlC: return .keys(["C-c"])
                case .endOfInput: return .keys(["C-d"])
                case .no: return .keys(["n", "Enter"])
                default: return .signal(signal ?? SIGTERM)
                }
            }
            // After refusing at a prompt the operator confirms nothing more; other faults are not
            // the operator's answer: a later prompt is confirmed as before.
            if done, case .prompt = fault.moment { return .keys(["n", "Enter"]) }
            confirmed += 1
            return .keys(["y", "Enter"])
        }, turn: { pid in
            guard !done, fault.interruption != .sigkill,
                  stops ? FileManager.default.fileExists(atPath: stopFile) : triggered(fault, site: site) else { return }
            done = true
            if hangs { usleep(100_000) }   // the record is on disk: let the process reach its hold
            (landed, note) = apply(fault, pid: pid, site: site)
            // The run goes on (its pause ends once the file is gone): a failed removal shows as a run that never ends.
            if stops { try? FileManager.default.removeItem(atPath: stopFile) }
        })
        if fault.confirmation.upFront { confirmed = fault.procedure.prompts }
        return Interrupted(run: run, confirmed: confirmed, landed: landed, note: note)
    }

    /// Whether the case's moment has come (the moments without a fault point).
    private func triggered(_ fault: FaultCase, site: CaseSite) -> Bool {
        switch fault.moment {
        case .prompt, .write, .commit: return false
        case .analysis:
            // An execution reaches its hosts (writable agents) before its analysis: the host's agent is
            // up and no row has started yet.
            if fault.interruption.isConnectionLoss {
                return !agents(of: site, host: fault.host, readOnly: nil).isEmpty
                    && !site.journal().contains { $0["event"] as? String == "step-started" }
            }
            return site.journal().count >= 1
        case .journal(let number): return site.journal().count >= number
        }
    }

    /// Interrupts the living run `pid`; whether it hit something, and what was done.
    private func apply(_ fault: FaultCase, pid: Int32, site: CaseSite) -> (Bool, String) {
        switch fault.interruption {
        case .ctrlC:
            let alive = kill(pid, 0) == 0
            // Typed on the terminal: SIGINT to its whole foreground process group.
            try? terminal.type(["C-c"])   // a failed tmux command shows as a run that was not interrupted
            return (alive, "Ctrl-C typed")
        case .sigterm, .sighup, .sigkill, .endOfInput, .no:
            let sent = kill(pid, fault.interruption.signal ?? SIGTERM) == 0
            return (sent, "signal \(fault.interruption.signal ?? SIGTERM) sent")
        case .killedAgent:
            let found = agents(of: site, host: fault.host, readOnly: nil)
            found.forEach { kill($0, SIGKILL) }
            return (!found.isEmpty, "killed agents \(found) of host\(fault.host)")
        case .killedSSHClient:
            // The remote command is one argument of ssh's: the root is found in the whole command line.
            let found = Self.processes {
                $0.first.map { $0.hasSuffix("ssh") } == true && $0.contains("host\(fault.host)")
                    && $0.joined(separator: " ").contains(site.roots[fault.host - 1])
            }
            found.forEach { kill($0, SIGKILL) }
            return (!found.isEmpty, "killed ssh clients \(found) to host\(fault.host)")
        case .sshdGone:
            guard let hosts, let daemon = hosts.pid(fault.host) else { return (false, "no sshd") }
            SSHHosts.killChildren(of: daemon)   // its sessions first: once it is gone they belong to init
            kill(daemon, SIGKILL)
            try? FileManager.default.removeItem(atPath: hosts.directory + "/host\(fault.host)/sshd.pid")   // start() waits for a new one
            return (true, "sshd of host\(fault.host) and its sessions killed")
        case .fullDisk:
            guard let disk = site.disk else { return (false, "no small disk") }
            do { try disk.fill() } catch { return (false, "fill failed: \(error)") }
            return (kill(pid, 0) == 0, "disk filled")
        case .postgresRestart:
            do { try PostgresScratch.restartServer() } catch { return (false, "restart failed: \(error)") }
            return (kill(pid, 0) == 0, "PostgreSQL restarted")
        }
    }

    /// The `phasekit agent` processes serving the server on host `host` of this site.
    private func agents(of site: CaseSite, host: Int, readOnly: Bool?) -> [Int32] {
        guard site.roots.count >= host else { return [] }
        let root = site.roots[host - 1]
        return Self.processes { arguments in
            arguments.count > 3 && arguments[1] == "agent" && arguments.contains(root)
                && (readOnly == nil || arguments.contains("--read-only") == readOnly)
        }
    }

    /// The processes whose command line (arguments) satisfies `matches`.
    static func processes(_ matches: ([String]) -> Bool) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = Int32(entry), pid != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return matches(arguments) ? pid : nil
        }
    }
}
