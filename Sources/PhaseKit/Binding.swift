public import LuaRuntime

/// What a binding's body acts on: the world the dispatcher chose for the run's mode, and the run.
public struct BindingInvocation {
    /// The real world in execution, the planned world in analysis.
    public let world: World
    /// The run's mode, for bindings whose results say "planned".
    public let mode: RunMode
    /// The server the calling step runs for, the one named with `module.on(server)`, or the
    /// site's default server.
    public let server: String
    /// Strong: nothing the dispatcher owns holds invocations, so there is no cycle, and a strong
    /// reference costs one retain per call where `unowned` cost three slower unowned-count updates.
    let dispatcher: Dispatcher

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
    public var body: (inout LuaCall, BindingInvocation) throws -> Int32

    public init(_ spec: BindingSpec, body: @escaping (inout LuaCall, BindingInvocation) throws -> Int32) {
        self.spec = spec
        self.body = body
    }
}
