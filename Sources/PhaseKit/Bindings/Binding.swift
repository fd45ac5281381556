public import LuaRuntime

/// What a binding's body acts on: the world the dispatcher chose for the run's mode, and the run.
public struct BindingInvocation {
    /// The binding called; it holds the dispatcher serving the call.
    let binding: PreparedBinding
    /// The dispatcher serving the call.
    var dispatcher: Dispatcher { binding.dispatcher }

    /// The server the calling step runs for, the one named with `module.on(server)`, or the
    /// site's default server.
    public var server: String { binding.server ?? dispatcher.currentServer }
    /// The real world in execution, the planned world in analysis.
    public var world: World { dispatcher.world }
    /// The run's mode, for bindings whose results say "planned".
    public var mode: RunMode { dispatcher.mode }

    /// Records that a binding declared as a read turned out to write (the database classified
    /// the statement as a write); the dispatcher records it like any write.
    public func noteWrite(_ call: borrowing LuaCall) throws {
        try dispatcher.noteDynamicWrite(call, server: server)
    }

    /// Pushes `module` with every binding aimed at `server` (the body of `module.on(server)`).
    public func pushScoped(_ module: String, server: String, into call: inout LuaCall) throws {
        try dispatcher.pushScoped(module, server: server, into: &call)
    }
}

/// A binding: its declaration and the Swift body that implements it.
///
/// The body reads its arguments from the call, acts on ``BindingInvocation/world`` only, pushes
/// its results and returns their count. It never decides the mode: the dispatcher does.
public struct Binding {
    public var spec: BindingSpec
    /// For writes: how a call is described to operators ("create volume lv_invoices, 24 MiB in
    /// vg_data, on production"); nil shows the raw call.
    public var describe: ChangeDescriber?
    public var body: (inout LuaCall, BindingInvocation) throws -> Int32

    public init(_ spec: BindingSpec, describe: ChangeDescriber? = nil,
                body: @escaping (inout LuaCall, BindingInvocation) throws -> Int32) {
        self.spec = spec
        self.describe = describe
        self.body = body
    }
}
