import ArgumentParser
import Foundation
import PhaseKit
import Remote

extension PhaseKitCommand {
    /// `phasekit agent --root DIR [--read-only]`: serves this host's backends to a controller on
    /// standard input and output (started by the controller over ssh; see docs/remote.md).
    struct Agent: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve this host's services, volumes and files to a phasekit controller on standard input and output (started over ssh).",
            discussion: "Runs no Lua. With --read-only every operation that changes the host is refused. See docs/remote.md."
        )

        @Option(name: .long, help: "The server's root on this host: files are confined to it.", completion: .directory)
        var root: String

        @Flag(name: .customLong("read-only"), help: "Refuse every write (the controller starts analysis agents this way).")
        var readOnly = false

        @Flag(name: .customLong("create-root"), help: "Create the root when it does not exist (laying a server out; never with --read-only).")
        var createRoot = false

        /// For tests of version skew: the version this agent claims to be.
        @Option(name: .customLong("claim-version"), help: .hidden)
        var claimVersion: String?

        /// For tests of lost connections: exit, unanswered, right after applying this many writes.
        @Option(name: .customLong("drop-after-writes"), help: .hidden)
        var dropAfterWrites: Int?

        /// For tests of lost connections during reads: `OP=N` exits, unanswered, on the Nth request of OP.
        @Option(name: .customLong("drop-at"), help: .hidden)
        var dropAt: String?

        /// For tests of failed changes: `OP=N` answers the Nth request of OP with a failure, not acting on it.
        @Option(name: .customLong("fail-at"), help: .hidden)
        var failAt: String?

        func run() throws {
            if createRoot && !readOnly { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) }
            // Nothing but frames goes to standard output.
            let server = try AgentServer(root: root, readOnly: readOnly, phasekit: claimVersion ?? PhaseKitVersion.current)
            server.dropAfterWrites = dropAfterWrites
            if let dropAt {
                let parts = dropAt.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let count = Int(parts[1]), count > 0 else { throw ValidationError("--drop-at takes OP=N") }
                server.dropAt = (parts[0], count)
            }
            if let failAt {
                let parts = failAt.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let count = Int(parts[1]), count > 0 else { throw ValidationError("--fail-at takes OP=N") }
                server.failAt = (parts[0], count)
            }
            try server.serve()
        }
    }
}
