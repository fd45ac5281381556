import ArgumentParser
import Foundation
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit hosts check --site DIR`: reaches every server's host and reports what it finds.
    struct Hosts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hosts of a site's servers.",
            subcommands: [Check.self]
        )

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Connect to every server and print its phasekit version, the backends it finds and the round-trip time.",
                discussion: "Exit 0 when every host is reachable, 3 otherwise."
            )

            @OptionGroup var siteOptions: SiteOptions

            func run() throws {
                let site = try siteOptions.requireSite()
                let results = RemoteWorld.check(site)
                if siteOptions.json {
                    Output.json(HostsDocument(site: site.directory, hosts: results))
                } else {
                    // Names, hosts and errors are data (an agent's answer, ssh's text): neutralized.
                    for result in results { print(TerminalText.line(result.line)) }
                }
                if results.contains(where: { $0.error != nil }) { throw ExitCode(3) }
            }
        }
    }
}
