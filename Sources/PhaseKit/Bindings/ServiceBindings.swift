import LuaRuntime
import Services

/// `services`: the site's services on the current server.
enum ServiceBindings {
    static func resource(_ invocation: BindingInvocation) throws -> ServiceResource {
        try invocation.world.resource(.services, server: invocation.server)
    }

    static func register(in registry: inout BindingRegistry) {
        registry.register(alias: LuaAliasSpec("phasekit.ServiceState", "A service's state.", values: [
            ("running", "running"), ("stopped", "stopped (cleanly, or never started)"),
            ("failed", "died without being stopped"), ("unknown", "the backend cannot tell"),
        ]))
        registry.register(class: LuaClassSpec("phasekit.Service", "A service of the site.", fields: [
            .init("name", "string", "the service's name in site.yaml"),
            .init("state", "phasekit.ServiceState", "its state (planned state in analysis)"),
            .init("required", "boolean", "whether the current procedure needs it running"),
        ]))
        let name = BindingParameter("name", "string", "a service defined in site.yaml")
        func change(_ verb: String, _ summary: String, _ action: @escaping (any ServiceManager, String) throws -> Void) -> Binding {
            Binding(BindingSpec(module: "services", name: verb, parameters: [name], summary: summary,
                                analysisResult: "nothing; services.status afterwards reports the planned state"),
                    describe: { call, invocation in ChangeDescription("\(verb) service \(try call.string(1)) on \(invocation.server)") }) { call, invocation in
                let manager = try resource(invocation).manager
                let service = try call.string(1)
                // The wait for the new state ends at the run's deadline too (then the time limit says so).
                let deadline = call.remainingTime.map { ContinuousClock.now.advanced(by: $0) }
                try WaitDeadline.within(deadline) { try action(manager, service) }
                return 0
            }
        }
        registry.register(module: "services", summary: "The site's services (process, systemd or Pacemaker cluster resources).", [
            Binding(BindingSpec(module: "services", name: "list", results: [.init("phasekit.Service[]", "services sorted by name")],
                                summary: "Lists the services with their state and whether the procedure requires them.", effect: .read)) { call, invocation in
                let resource = try resource(invocation)
                let services = try resource.manager.list().map { info in
                    LuaValue.table(LuaTable(["name": .text(info.name), "state": .text(info.state.rawValue),
                                             "required": .boolean(resource.required.contains(info.name))]))
                }
                try call.push(.table(LuaTable(array: services)))
                return 1
            },
            Binding(BindingSpec(module: "services", name: "status", parameters: [name], results: [.init("phasekit.ServiceState", "its state")],
                                summary: "The state of one service.", effect: .read)) { call, invocation in
                try call.push(.text(try resource(invocation).manager.status(try call.string(1)).rawValue))
                return 1
            },
            change("start", "Starts a service and waits (bounded) until it runs.") { try $0.start($1) },
            change("stop", "Stops a service and waits (bounded) until it is stopped.") { try $0.stop($1) },
            change("restart", "Restarts a service and waits (bounded) until it runs.") { try $0.restart($1) },
            .on(module: "services", target: "services") { invocation, server in
                _ = try invocation.world.resource(.services, server: server)
            },
        ])
    }
}
