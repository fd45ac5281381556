import ArgumentParser
import Foundation
import LuaRuntime
import PhaseKit
import Replication
import SystemCalls

/// The `phasekit` command: runs operational procedures written in Lua under an analyze/execute policy.
@main
struct PhaseKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phasekit",
        abstract: "Run operational procedures as Lua scripts, analysis first.",
        discussion: """
            Exit codes: 0 ran and nothing (left) to change; 1 error (bad input, script error, limit, \
            unknown run ID, missing site or bundled scripts); 2 analysis found changes or issues; \
            3 preconditions not met or an issue needs manual action; 4 refused (not confirmed, lock \
            held, stale plan); 64 usage error.
            """,
        version: PhaseKitVersion.current,
        subcommands: [Run.self, Resume.self, Status.self, List.self, Show.self, SampleSiteCommand.self, History.self, Serve.self, Lint.self, New.self, Bindings.self, Hosts.self, Services.self, Agent.self]
    )

    /// The change models procedures may name in `procedure.lua` (`change = "NAME"`).
    static let changeProviders: [String: any ChangeProvider] = [ReplicationChangeProvider.name: ReplicationChangeProvider()]

    /// How long past its deadline a run may go on before the backstop ends the process (see
    /// docs/runtime.md): cooperative stops come at the deadline, this is for work that checks nothing.
    static let timeLimitGrace: Duration = .seconds(1)

    /// Arms the time limit's backstop, then parses and runs a subcommand; engine errors go through
    /// ``Failure`` (a message on standard error, or a JSON error report under `--json`), usage
    /// errors through the argument parser.
    static func main() {
        // Megabyte buffers (an agent's answers, the report) reuse freed pages (docs/performance.md).
        SystemCall.keepFreedMemory()
        // A run's reports may still be being stored (``RunHooks/archivesInBackground``): every
        // way out of the process waits for them.
        atexit {
            ArchiveQueue.waitForAll()
            ArchiveSignals.endByReceivedSignal()
        }
        LuaState.enableBackstop(grace: timeLimitGrace)
        // A reader of standard output that is gone (`| tee log` ended by the terminal's Ctrl-C at a
        // prompt or while configure applies) must not kill the run: its writes fail (EPIPE) and
        // the run goes on to its end, journaled and reported under state/reports.
        signal(SIGPIPE, SIG_IGN)
        // No subcommand is a usage error, not a request for help (`phasekit --help` is that).
        if CommandLine.arguments.count == 1 {
            FileHandle.standardError.write(Data((helpMessage() + "\n").utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var runnable = command
            try runnable.run()
        } catch {
            Failure.exit(error, command: command)
        }
    }
}
