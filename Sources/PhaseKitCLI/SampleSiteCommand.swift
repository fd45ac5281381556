import ArgumentParser
import Foundation
import PhaseKit
import Samples

extension PhaseKitCommand {
    /// `phasekit sample-site DIR`: a complete site that looks like a management server just
    /// restored from a backup, with a replication group awaiting initialization.
    struct SampleSiteCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample-site",
            abstract: "Write a self-contained sample site and start its services.",
            discussion: "The site has an SQLite management database as restored, the sources that tell what happened after the backup, process services (required ones and a non-required one running), dir volume pools and a replication group with a pending edit. See docs/sample-site.md."
        )

        @Argument(help: "The directory to create (must not exist or be empty).")
        var directory: String

        @Option(name: .long, help: "Addresses in the sample database's pools.")
        var addresses: Int = 2000

        @Option(name: .long, help: "How many of them the live inventory says are in use.")
        var inUse: Int = 300

        @Flag(name: .long, help: "Write the files only; start no service.")
        var noServices = false

        @Option(name: .long, help: "Keep the management database in this PostgreSQL database (postgres://...) instead of the site's cms.db.")
        var database: String?

        @Option(name: .long, help: "Put this server on its own host: SERVER=ssh://[user@]host[:port]/ROOT (repeatable; see docs/remote.md).")
        var host: [String] = []

        @Option(name: .customLong("ssh-config"), help: "The ssh_config file the site uses for its hosts (written as ssh.config).", completion: .file())
        var sshConfig: String?

        @Option(name: .long, help: "The path of phasekit on the hosts (written as each placed server's phasekit).")
        var phasekit: String?

        func validate() throws {
            guard addresses > 0, inUse >= 0, inUse <= addresses else {
                throw ValidationError("--in-use must be between 0 and --addresses")
            }
        }

        func run() throws {
            // A directory that does not exist is made; one that exists but cannot be listed fails when it is written.
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            guard existing.isEmpty else { throw PhaseKitError.configuration("\(directory) exists and is not empty") }
            let targets = try host.map(RemotePlacement.Target.init)
            try SampleSiteBuilder.create(at: directory, addresses: addresses, inUse: inUse, startServices: !noServices && targets.isEmpty, database: database)
            if !targets.isEmpty {
                try RemotePlacement.place(siteDirectory: URL(fileURLWithPath: directory).standardizedFileURL.path, targets: targets,
                                          sshConfig: sshConfig, phasekit: phasekit)
                if !noServices { try RemotePlacement.startServices(siteDirectory: URL(fileURLWithPath: directory).standardizedFileURL.path) }
            }
            print("Sample site written to \(directory).")
            print("Analyze it:  phasekit run sync --site \(directory)")
            print("             phasekit run configure --site \(directory)")
        }
    }
}
