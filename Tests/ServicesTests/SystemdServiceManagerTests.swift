import HostSystem
import Testing
@testable import Services

@Suite("SystemdServiceManager on recorded systemctl output")
struct SystemdServiceManagerTests {
    static let show = ["systemctl", "show", "--property=ActiveState,SubState,LoadState"]
    static let ok = CommandOutput(status: 0)

    func manager(_ runner: RecordedCommandRunner, waitLimit: Duration = .seconds(5)) throws -> SystemdServiceManager {
        try SystemdServiceManager(
            services: [SystemdServiceDefinition(name: "db", unit: "postgresql@15-main.service"), SystemdServiceDefinition(name: "web")],
            runner: runner, waitLimit: waitLimit, pollInterval: .milliseconds(1))
    }

    @Test("status maps ActiveState", arguments: [
        ("active.txt", ServiceState.running), ("inactive.txt", .stopped), ("failed.txt", .failed),
    ])
    func status(_ fixture: String, _ expected: ServiceState) throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.show + ["web.service"], try Fixture.output("systemd/" + fixture))
        #expect(try manager(runner).status("web") == expected)
        #expect(runner.calls == [Self.show + ["web.service"]])
    }

    @Test("status waits out activating and deactivating")
    func transitional() throws {
        let runner = RecordedCommandRunner()
        let unit = Self.show + ["web.service"]
        runner.expect(unit, try Fixture.output("systemd/activating.txt"))
        runner.expect(unit, try Fixture.output("systemd/deactivating.txt"))
        runner.expect(unit, try Fixture.output("systemd/inactive.txt"))
        #expect(try manager(runner).status("web") == .stopped)
        #expect(runner.calls == [unit, unit, unit])
    }

    @Test("a unit stuck activating times out naming the state")
    func stuck() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.show + ["web.service"], try Fixture.output("systemd/activating.txt"))
        let error = try #require(throws: ServiceError.self) { try manager(runner, waitLimit: .milliseconds(50)).status("web") }
        #expect(error.kind == .timedOut)
        #expect(error.message.contains("activating (start-pre)"))
    }

    @Test("start runs systemctl start on the site's unit, then polls until active")
    func start() throws {
        let runner = RecordedCommandRunner()
        let unit = Self.show + ["postgresql@15-main.service"]
        runner.expect(unit, try Fixture.output("systemd/inactive.txt"))
        runner.expect(unit, try Fixture.output("systemd/activating.txt"))
        runner.expect(unit, try Fixture.output("systemd/active.txt"))
        runner.expect(["systemctl", "start", "postgresql@15-main.service"], Self.ok)
        try manager(runner).start("db")
        #expect(runner.calls == [unit, ["systemctl", "start", "postgresql@15-main.service"], unit, unit])
    }

    @Test("start of a running unit and stop of a stopped unit do not act")
    func idempotent() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.show + ["web.service"], try Fixture.output("systemd/active.txt"))
        runner.expect(Self.show + ["postgresql@15-main.service"], try Fixture.output("systemd/inactive.txt"))
        let manager = try manager(runner)
        try manager.start("web")
        try manager.stop("db")
        #expect(runner.calls == [Self.show + ["web.service"], Self.show + ["postgresql@15-main.service"]])
    }

    @Test("stop and restart issue their systemctl command and wait for the state")
    func stopRestart() throws {
        let runner = RecordedCommandRunner()
        let unit = Self.show + ["web.service"]
        for fixture in ["active", "deactivating", "inactive", "inactive", "activating", "active"] {
            runner.expect(unit, try Fixture.output("systemd/\(fixture).txt"))
        }
        runner.expect(["systemctl", "stop", "web.service"], Self.ok)
        runner.expect(["systemctl", "restart", "web.service"], Self.ok)
        let manager = try manager(runner)
        try manager.stop("web")
        try manager.restart("web")
        #expect(runner.calls == [unit, ["systemctl", "stop", "web.service"], unit, unit,
                                 unit, ["systemctl", "restart", "web.service"], unit, unit])
    }

    @Test("a unit that fails while starting makes start fail, not time out")
    func startFails() throws {
        let runner = RecordedCommandRunner()
        let unit = Self.show + ["web.service"]
        runner.expect(unit, try Fixture.output("systemd/inactive.txt"))
        runner.expect(unit, try Fixture.output("systemd/failed.txt"))
        runner.expect(["systemctl", "start", "web.service"], Self.ok)
        let error = try #require(throws: ServiceError.self) { try manager(runner).start("web") }
        #expect(error.kind == .actionFailed)
        #expect(error.message.contains("failed (failed)"))
    }

    @Test("systemctl start failing is actionFailed with its stderr")
    func commandFails() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.show + ["web.service"], try Fixture.output("systemd/inactive.txt"))
        runner.expect(["systemctl", "start", "web.service"], CommandOutput(
            status: 1, standardError: "Job for web.service failed because the control process exited with error code.\n"))
        let error = try #require(throws: ServiceError.self) { try manager(runner).start("web") }
        #expect(error.kind == .actionFailed)
        #expect(error.message.contains("control process exited"))
    }

    @Test("LoadState=not-found and undefined names are unknownService")
    func unknown() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.show + ["web.service"], try Fixture.output("systemd/not-found.txt"))
        let manager = try manager(runner)
        #expect(throws: ServiceError(.unknownService, service: "web", "systemd has no unit web.service")) { try manager.status("web") }
        let undefined = try #require(throws: ServiceError.self) { try manager.start("cache") }
        #expect(undefined.kind == .unknownService)
    }

    @Test("a machine without systemd as PID 1 is backendUnavailable (recorded here)")
    func noSystemd() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.show + ["web.service"], CommandOutput(status: 1, standardError: try Fixture.text("systemd/no-systemd.stderr")))
        let error = try #require(throws: ServiceError.self) { try manager(runner).status("web") }
        #expect(error.kind == .backendUnavailable)
        #expect(error.message.contains("System has not been booted with systemd"))
    }
}
