import LuaRuntime

/// `hosts`: the servers of the site.
enum HostBindings {
    static var module: BindingModule {
        BindingModule("hosts", summary: "The servers of the site.", classes: [
            LuaClassSpec("phasekit.Host", "A server of the site.", fields: [
                .init("name", "string", "the server's name"),
                .init("role", "string", "its role in site.yaml"),
                .init("current", "boolean", "true for the server the calling step runs for"),
            ]),
        ], bindings: [
            Binding("list", results: [.init("phasekit.Host[]", "the servers in site order")],
                    summary: "Lists the site's servers.", effect: .read, body: list),
            Binding("current", results: [.init("string", "the current server's name")],
                    summary: "The server the calling step runs for.", effect: .read, body: current),
        ])
    }

    static func list(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let site = try invocation.world.resource(.site, server: "")
        let hosts = site.servers.map { server in
            LuaValue.table(LuaTable(["name": .text(server.name), "role": .text(server.role),
                                     "current": .boolean(server.name == invocation.server)]))
        }
        try call.push(.table(LuaTable(array: hosts)))
        return 1
    }

    static func current(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        try call.push(.text(invocation.server))
        return 1
    }
}
