import LuaRuntime
import Services

/// `services`: the site's services on the current server.
enum ServiceBindings {
    static var module: BindingModule {
        let name = BindingParameter("name", "string", "a service defined in site.yaml")
        let planned = "nothing; services.status afterwards reports the planned state"
        return BindingModule("services", summary: "The site's services (process, systemd or Pacemaker cluster resources).",
                             classes: classes, aliases: aliases,
                             onServer: .init(target: "services") { invocation, server in _ = try invocation.world.resource(.services, server: server) },
                             bindings: [
            Binding("list", results: [.init("phasekit.Service[]", "services sorted by name")],
                    summary: "Lists the services with their state and whether the procedure requires them.", effect: .read, body: list),
            Binding("status", parameters: [name], results: [.init("phasekit.ServiceState", "its state")],
                    summary: "The state of one service.", effect: .read, body: status),
            Binding("start", parameters: [name], summary: "Starts a service and waits (bounded) until it runs.",
                    analysisResult: planned, describe: describe("start"), body: change { try $0.start($1) }),
            Binding("stop", parameters: [name], summary: "Stops a service and waits (bounded) until it is stopped.",
                    analysisResult: planned, describe: describe("stop"), body: change { try $0.stop($1) }),
            Binding("restart", parameters: [name], summary: "Restarts a service and waits (bounded) until it runs.",
                    analysisResult: planned, describe: describe("restart"), body: change { try $0.restart($1) }),
        ])
    }

    static let aliases = [
        LuaAliasSpec("phasekit.ServiceState", "A service's state.", values: [
            ("running", "running"), ("stopped", "stopped (cleanly, or never started)"),
            ("failed", "died without being stopped"), ("unknown", "the backend cannot tell"),
        ]),
    ]

    static let classes = [
        LuaClassSpec("phasekit.Service", "A service of the site.", fields: [
            .init("name", "string", "the service's name in site.yaml"),
            .init("state", "phasekit.ServiceState", "its state (planned state in analysis)"),
            .init("required", "boolean", "whether the current procedure needs it running"),
        ]),
    ]

    static func resource(_ invocation: BindingInvocation) throws -> ServiceResource {
        try invocation.world.resource(.services, server: invocation.server)
    }

    static func list(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let resource = try resource(invocation)
        let services = try resource.manager.list().map { info in
            LuaValue.table(LuaTable(["name": .text(info.name), "state": .text(info.state.rawValue),
                                     "required": .boolean(resource.required.contains(info.name))]))
        }
        try call.push(.table(LuaTable(array: services)))
        return 1
    }

    static func status(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        try call.push(.text(try resource(invocation).manager.status(try call.string(1)).rawValue))
        return 1
    }

    /// The body of `services.start`, `stop` and `restart`: `action` on the named service.
    static func change(_ action: @escaping (any ServiceManager, String) throws -> Void) -> Binding.Body {
        { call, invocation in
            let manager = try resource(invocation).manager
            let service = try call.string(1)
            // The wait for the new state ends at the run's deadline too (then the time limit says so).
            let deadline = call.remainingTime.map { ContinuousClock.now.advanced(by: $0) }
            try WaitDeadline.within(deadline) { try action(manager, service) }
            return 0
        }
    }

    /// How `services.VERB` is described: "stop service io-orchestrator on cms".
    static func describe(_ verb: String) -> ChangeDescriber {
        { call, invocation in ChangeDescription("\(verb) service \(try call.string(1)) on \(invocation.server)") }
    }
}
