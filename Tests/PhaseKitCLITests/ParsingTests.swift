import ArgumentParser
import Testing
@testable import PhaseKitCLI

/// The command line as the parser sees it, without running anything.
@Suite("Argument parsing")
struct ParsingTests {
    @Test func runParsesItsOptions() throws {
        let command = try PhaseKitCommand.parseAsRoot(["run", "sync", "--site", "/srv/cms", "--execute", "--yes", "--time-limit", "5", "--memory-limit", "64", "--json"])
        let run = try #require(command as? PhaseKitCommand.Run)
        #expect(run.target == "sync")
        #expect(run.execute && run.yes)
        #expect(run.siteOptions.site == "/srv/cms" && run.siteOptions.json)
        #expect(run.limitOptions.timeLimit == 5 && run.limitOptions.memoryLimit == 64)
    }

    @Test(arguments: [
        ["run", "sync", "--yes"],                                   // --yes without --execute
        ["run", "sync", "--plan-out", "p.json", "--execute"],        // a plan is saved from an analysis
        ["run", "sync", "--plan", "p.json"],                         // a plan is applied with --execute
        ["run", "not a name!"],                                      // neither a procedure nor a script
        ["run", "sync", "--time-limit", "0"],
        ["run", "sync", "--memory-limit", "4"],
        ["show", "sync"],                                            // PROCEDURE/STEP
        ["new", "sync/../etc/passwd", "--site", "s"],
        ["sample-site", "/tmp/x", "--addresses", "10", "--in-use", "20"],
    ])
    func invalidCommandLinesAreRejected(arguments: [String]) {
        #expect(throws: (any Error).self, "\(arguments)") { _ = try PhaseKitCommand.parseAsRoot(arguments) }
    }

    @Test func everySubcommandIsListed() {
        let names = PhaseKitCommand.configuration.subcommands.map { $0._commandName }
        #expect(names == ["run", "resume", "status", "list", "show", "sample-site", "history", "serve", "lint", "new", "bindings", "hosts", "services", "agent"])
    }
}
