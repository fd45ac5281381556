import LuaRuntime

extension Binding {
    /// `MODULE.on(server)`: the module's functions aimed at another server of the site, each call
    /// still going through the dispatcher. One definition for every module that acts per server.
    ///
    /// - Parameters:
    ///   - module: the module, such as `services`.
    ///   - target: what its functions act on, for the summary ("services", "pool", "root").
    ///   - check: throws when the server has no such resource, before the module is returned.
    static func on(module: String, target: String, check: @escaping (BindingInvocation, _ server: String) throws -> Void) -> Binding {
        Binding(BindingSpec(module: module, name: "on",
                            parameters: [.init("server", "string", "a server of the site")],
                            results: [.init(LuaTypeName("phasekit.\(module)"), "the \(module) module aimed at that server")],
                            summary: "The same functions, acting on another server's \(target).", effect: .read, kind: .serverSelector)) { call, invocation in
            let server = try call.string(1)
            try check(invocation, server)
            try invocation.pushScoped(module, server: server, into: &call)
            return 1
        }
    }
}
