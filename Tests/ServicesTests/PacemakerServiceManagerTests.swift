import HostSystem
import Testing
@testable import Services

@Suite("PacemakerServiceManager on recorded crm_mon output")
struct PacemakerServiceManagerTests {
    static let monitor = ["crm_mon", "--output-as=xml"]
    static func targetRole(_ resource: String, _ role: String) -> [String] {
        ["crm_resource", "--resource", resource, "--meta", "--set-parameter", "target-role", "--parameter-value", role]
    }

    func manager(_ runner: RecordedCommandRunner, waitLimit: Duration = .seconds(5)) throws -> PacemakerServiceManager {
        try PacemakerServiceManager(
            services: [PacemakerServiceDefinition(name: "web", resource: "phasekit-dummy-a"), PacemakerServiceDefinition(name: "phasekit-dummy-b")],
            runner: runner, waitLimit: waitLimit, pollInterval: .milliseconds(1))
    }

    @Test("status and list read the resources' roles from crm_mon XML")
    func status() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.monitor, try Fixture.output("pacemaker/crm_mon-a-started.xml"))
        let manager = try manager(runner)
        #expect(try manager.list() == [ServiceInfo(name: "phasekit-dummy-b", state: .stopped), ServiceInfo(name: "web", state: .running)])
        #expect(runner.calls == [Self.monitor, Self.monitor])
    }

    @Test("start sets target-role Started and polls until the cluster runs it")
    func start() throws {
        let runner = RecordedCommandRunner()
        let stopped = try Fixture.output("pacemaker/crm_mon-both-stopped.xml")
        runner.expect(Self.monitor, stopped)
        runner.expect(Self.monitor, stopped)
        runner.expect(Self.monitor, try Fixture.output("pacemaker/crm_mon-a-started.xml"))
        runner.expect(Self.targetRole("phasekit-dummy-a", "Started"), CommandOutput(
            status: 0, standardOutput: "Set 'phasekit-dummy-a' option: id=phasekit-dummy-a-meta-target-role name=target-role value=Started\n"))
        try manager(runner).start("web")
        #expect(runner.calls == [Self.monitor, Self.targetRole("phasekit-dummy-a", "Started"), Self.monitor, Self.monitor])
    }

    @Test("restart is stop then start; a stopped resource is not stopped again")
    func restart() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.monitor, try Fixture.output("pacemaker/crm_mon-a-started.xml"))
        runner.expect(Self.monitor, try Fixture.output("pacemaker/crm_mon-both-stopped.xml"))
        runner.expect(Self.monitor, try Fixture.output("pacemaker/crm_mon-both-stopped.xml"))
        runner.expect(Self.monitor, try Fixture.output("pacemaker/crm_mon-a-started.xml"))
        runner.expect(Self.targetRole("phasekit-dummy-a", "Stopped"), CommandOutput(status: 0))
        runner.expect(Self.targetRole("phasekit-dummy-a", "Started"), CommandOutput(status: 0))
        let manager = try manager(runner)
        try manager.restart("web")
        #expect(runner.calls == [Self.monitor, Self.targetRole("phasekit-dummy-a", "Stopped"), Self.monitor,
                                 Self.monitor, Self.targetRole("phasekit-dummy-a", "Started"), Self.monitor])
        try manager.stop("phasekit-dummy-b")
        #expect(runner.calls.last == Self.monitor)
    }

    @Test("a resource that never starts times out naming its role")
    func timeout() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.monitor, try Fixture.output("pacemaker/crm_mon-both-stopped.xml"))
        runner.expect(Self.targetRole("phasekit-dummy-b", "Started"), CommandOutput(status: 0))
        let error = try #require(throws: ServiceError.self) { try manager(runner, waitLimit: .milliseconds(50)).start("phasekit-dummy-b") }
        #expect(error.kind == .timedOut)
        #expect(error.message.contains("phasekit-dummy-b Stopped"))
    }

    @Test("a resource crm_mon does not report, and an undefined name, are unknownService")
    func unknown() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.monitor, try Fixture.output("pacemaker/crm_mon-both-stopped.xml"))
        let manager = try PacemakerServiceManager(services: [PacemakerServiceDefinition(name: "nosuch")], runner: runner)
        #expect(try #require(throws: ServiceError.self) { try manager.start("nosuch") }.kind == .unknownService)
        #expect(try #require(throws: ServiceError.self) { try manager.status("web") }.kind == .unknownService)
        #expect(runner.calls == [Self.monitor])
    }

    @Test("failed, blocked, transitional and grouped resources")
    func parserStates() throws {
        // Built in crm_mon's format (the real reports hold only Started/Stopped primitives).
        let xml = """
        <pacemaker-result api-version="2.25" request="crm_mon --output-as=xml"><resources>
          <resource id="bad" resource_agent="ocf:pacemaker:Dummy" role="Started" active="true" failed="true" blocked="false" nodes_running_on="1"/>
          <resource id="moving" resource_agent="ocf:pacemaker:Dummy" role="Starting" active="false" failed="false" blocked="false" nodes_running_on="0"/>
          <group id="grp" number_resources="2" maintenance="false" managed="true" disabled="false">
            <resource id="g1" role="Started" active="true" failed="false" blocked="false"/>
            <resource id="g2" role="Stopped" active="false" failed="false" blocked="false"/>
          </group>
          <clone id="cl" multi_state="false" unique="false"><resource id="inst" role="Stopped" active="false" failed="false" blocked="false"/></clone>
        </resources></pacemaker-result>
        """
        let report = try #require(PacemakerClusterStatus.parse(xml))
        #expect(report.observed("bad")?.state == .failed)
        #expect(report.observed("moving")?.state == nil)
        #expect(report.observed("moving") != nil)
        #expect(report.observed("grp")?.state == .running)
        #expect(report.observed("g2")?.state == .stopped)
        #expect(report.observed("cl")?.state == .stopped)
        #expect(report.observed("inst")?.state == .stopped)
        #expect(report.observed("absent") == nil)
        #expect(PacemakerClusterStatus.parse("<not-closed") == nil)
    }

    @Test("crm_mon failing is backendUnavailable")
    func notConnected() throws {
        let runner = RecordedCommandRunner()
        runner.expect(Self.monitor, CommandOutput(status: 102, standardError: "crm_mon: Error: cluster is not available on this node\n"))
        let error = try #require(throws: ServiceError.self) { try manager(runner).status("web") }
        #expect(error.kind == .backendUnavailable)
    }
}
