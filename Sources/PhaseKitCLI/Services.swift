import ArgumentParser
import Foundation
import PhaseKit
import Services

extension PhaseKitCommand {
    /// `phasekit services status|stop --site DIR`: a site's services outside any procedure.
    struct Services: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or stop a site's services (for example the sample site's, when you are done with it).",
            subcommands: [Status.self, Stop.self]
        )

        /// `phasekit services status`: every service of every server, with its state.
        struct Status: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List every service of the site's servers and its state.")

            @OptionGroup var siteOptions: SiteOptions

            func run() throws {
                let site = try siteOptions.requireSite()
                try RemoteConnect.connect(site: site, mode: .analyze, limits: RunRequest.limits(timeSeconds: nil, memoryMegabytes: nil, site: site),
                                          json: siteOptions.json, target: "services")
                let entries = try SiteServices.list(site)
                if siteOptions.json {
                    return Output.json(ServicesDocument(site: site.directory, command: "status", services: entries.map { ServicesDocument.Service($0) }))
                }
                if entries.isEmpty { print("No services are defined for the servers of this site.") }
                for entry in entries { print("\(TerminalText.line(entry.name)) on \(TerminalText.line(entry.server)): \(entry.state.rawValue) (\(entry.backend))") }
            }
        }

        /// `phasekit services stop`: stops the site's running services, after asking.
        struct Stop: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Stop every running service of the site's servers (asks first; --yes does not ask).",
                discussion: "Holds the site's lock, so it never runs beside an execution. Exit 0 when every service stopped, 1 when one did not, 4 when not confirmed."
            )

            @OptionGroup var siteOptions: SiteOptions

            @Flag(name: .long, help: "Stop without asking (needed without a terminal).")
            var yes = false

            @Option(name: .long, help: "Only the services of this backend (process, systemd or pacemaker).")
            var backend: String?

            func validate() throws {
                if let backend, !["process", "systemd", "pacemaker"].contains(backend) {
                    throw ValidationError("--backend must be process, systemd or pacemaker")
                }
            }

            func run() throws {
                let site = try siteOptions.requireSite()
                let lock = try SiteLock(stateDirectory: site.stateDirectory, command: CommandLine.arguments.joined(separator: " "))
                defer { withExtendedLifetime(lock) {} }
                try RemoteConnect.connect(site: site, mode: .execute, limits: RunRequest.limits(timeSeconds: nil, memoryMegabytes: nil, site: site),
                                          json: siteOptions.json, target: "services")
                let running = try SiteServices.list(site).filter { $0.state == .running && (backend == nil || $0.backend == backend) }
                let document = { (outcome: String, services: [ServicesDocument.Service]) in
                    ServicesDocument(site: site.directory, command: "stop", outcome: outcome, services: services)
                }
                guard !running.isEmpty else {
                    return siteOptions.json ? Output.json(document("nothing-running", [])) : print("No service of this site is running.")
                }
                if !siteOptions.json {
                    for entry in running { print("  stop \(TerminalText.line(entry.name)) on \(TerminalText.line(entry.server)) (\(entry.backend))") }
                }
                if !yes {
                    guard Output.hasTerminal else {
                        Output.note("Refusing to stop services without a terminal to confirm on; pass --yes.")
                        if siteOptions.json { Output.json(document("not-confirmed", running.map { ServicesDocument.Service($0, stopped: false) })) }
                        throw ExitCode(4)
                    }
                    guard Output.confirm("Stop \(running.count) service(s)? Proceed?") else {
                        Output.note("Not confirmed: nothing was changed.")
                        if siteOptions.json { Output.json(document("not-confirmed", running.map { ServicesDocument.Service($0, stopped: false) })) }
                        throw ExitCode(4)
                    }
                }
                let results = try SiteServices.stopRunning(site, only: backend) { result in
                    if let failure = result.failure {
                        Output.note("phasekit: \(TerminalText.line(result.entry.name)) on \(TerminalText.line(result.entry.server)) did not stop: \(failure)")
                    } else if !siteOptions.json {
                        print("stopped \(TerminalText.line(result.entry.name)) on \(TerminalText.line(result.entry.server))")
                    }
                }
                let failed = results.contains { $0.failure != nil }
                if siteOptions.json {
                    Output.json(document(failed ? "failed" : "stopped",
                                         results.map { ServicesDocument.Service($0.entry, stopped: $0.failure == nil, error: $0.failure) }))
                }
                if failed { throw ExitCode(1) }
            }
        }
    }
}
