import LuaRuntime

extension Binding {
    /// `MODULE.on(server)`: the module's functions aimed at another server of the site, each call
    /// still going through the dispatcher. One definition for every module that acts per server
    /// (``BindingModule/serverSelector``).
    static func on(module: String, _ selector: BindingModule.ServerSelector) -> Binding {
        Binding("on", parameters: [.init("server", "string", "a server of the site")],
                results: [.init(LuaTypeName("phasekit.\(module)"), "the \(module) module aimed at that server")],
                summary: "The same functions, acting on another server's \(selector.target).", effect: .read, kind: .serverSelector) { call, invocation in
            let server = try call.string(1)
            try selector.check(invocation, server)
            try invocation.pushScoped(module, server: server, into: &call)
            return 1
        }
    }
}
