import ArgumentParser
import Foundation
import LuaRuntime
import PhaseKit

/// Reaches a site's remote servers for a run. A procedure's rows declare the servers it runs on:
/// those are connected before any step, all at once, and any that cannot be reached stops the
/// run as an unmet precondition (exit 3). A script names the servers it reaches (`files.on("s1")`):
/// those whose names it spells as a string are connected before it runs, all at once, and one
/// that cannot be reached then is tried again at its first use; a script that names one in a way
/// no reading of its text can tell (`files.on("peer" .. i)`, `files.on(host.name)`) has every
/// remote server of the site connected so, all at once, not one after another at each first use.
/// Every other server is connected
/// at the run's first use of it (`RemoteWorld.prepare`), so a run opens no session to a host it
/// does not touch; one that cannot be reached at its first use fails the step that needed it, as
/// a lost connection (exit 3, nothing read as the host's state).
enum RemoteConnect {
    static func connect(site: SiteConfiguration?, mode: RunMode, limits: LuaLimits, json: Bool, target: String,
                        declared: RunTarget? = nil) throws {
        guard let site, site.hasRemoteServers else { return }
        RemoteWorld.prepare(site, readOnly: mode == .analyze, timeout: limits.time)
        if case .script(let path)? = declared {
            // Failures are left to the first use, where they fail the step that needs the host.
            try RemoteWorld.connectAll(site, servers: named(in: path, site: site), readOnly: mode == .analyze, timeout: limits.time,
                                       bestEffort: true)
            return
        }
        let servers = declared.map { Self.servers(of: $0, site: site, limits: limits) } ?? nil
        guard servers?.isEmpty != true else { return }
        do {
            try RemoteWorld.connectAll(site, servers: servers, readOnly: mode == .analyze, timeout: limits.time)
        } catch PhaseKitError.precondition(let message) {
            if json {
                var report = RunReport.make(RunReport.Heading(target: target, site: site.directory, mode: mode, startedAt: Date()),
                                            steps: [], blocked: true)
                report.error = RunReport.ErrorDetail(PhaseKitError.precondition(message))
                Output.report(report, json: true)
            } else {
                Output.note("phasekit: \(message)")
            }
            throw ExitCode(RunReport.Outcome.blocked.exitCode)
        }
    }

    /// The remote servers whose names the script at `path` spells as a quoted string; none when
    /// it cannot be read (the run reports that itself); nil (every remote server) when one of its
    /// `.on(...)` calls names a server otherwise (``namesServersOtherwise(_:)``).
    static func named(in path: String, site: SiteConfiguration) -> Set<String>? {
        // Only which hosts to reach early: a script that cannot be read connects nothing now, and its run fails on it.
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        if namesServersOtherwise(text) { return nil }
        return Set(site.servers.filter { $0.host != nil && (text.contains("\"\($0.name)\"") || text.contains("'\($0.name)'")) }.map(\.name))
    }

    /// Whether some `.on(` in `text` is not followed by one quoted string and its `)`: a server
    /// named by an expression, which only running the script can tell.
    static func namesServersOtherwise(_ text: String) -> Bool {
        var rest = text[...]
        while let call = rest.range(of: ".on(") {
            rest = rest[call.upperBound...]
            let argument = rest.drop { $0 == " " || $0 == "\t" }
            guard let quote = argument.first, quote == "\"" || quote == "'" else { return true }
            let literal = argument.dropFirst()
            guard let end = literal.firstIndex(of: quote) else { return true }
            guard literal[literal.index(after: end)...].drop(while: { $0 == " " || $0 == "\t" }).first == ")" else { return true }
        }
        return false
    }

    /// The servers `target` declares: a procedure's rows' servers (and the default server, where
    /// its once steps run), none for a script; nil (every server) when the procedure cannot be
    /// found, which the run itself then reports.
    static func servers(of target: RunTarget, site: SiteConfiguration, limits: LuaLimits) -> Set<String>? {
        guard case .procedure(let name) = target else { return [] }
        let found: ProcedureDefinition
        do {
            found = try TargetRunner.catalog(site: site, limits: limits).procedure(named: name)
        } catch {
            return nil
        }
        var names: Set<String> = [site.defaultServer.name]
        for step in found.enabledSteps {
            names.formUnion(site.servers.filter { step.scope.includes(role: $0.role, procedureRoles: found.roles) }.map(\.name))
        }
        return names
    }
}
