import LuaRuntime

/// `hosts`: the servers of the site.
enum HostBindings {
    static func register(in registry: inout BindingRegistry) {
        registry.register(class: LuaClassSpec("phasekit.Host", "A server of the site.", fields: [
            .init("name", "string", "the server's name"),
            .init("role", "string", "its role in site.yaml"),
            .init("current", "boolean", "true for the server the calling step runs for"),
        ]))
        registry.register(module: "hosts", summary: "The servers of the site.", [
            Binding(BindingSpec(module: "hosts", name: "list", results: [.init("phasekit.Host[]", "the servers in site order")],
                                summary: "Lists the site's servers.", effect: .read)) { call, invocation in
                let site = try invocation.world.resource(.site, server: "")
                let hosts = site.servers.map { server in
                    LuaValue.table(LuaTable(["name": .text(server.name), "role": .text(server.role),
                                             "current": .boolean(server.name == invocation.server)]))
                }
                try call.push(.table(LuaTable(array: hosts)))
                return 1
            },
            Binding(BindingSpec(module: "hosts", name: "current", results: [.init("string", "the current server's name")],
                                summary: "The server the calling step runs for.", effect: .read)) { call, invocation in
                try call.push(.text(invocation.server))
                return 1
            },
        ])
    }
}
