public import LuaRuntime

/// What a binding's body acts on: the world the dispatcher chose for the run's mode, and the run.
public struct BindingInvocation {
    /// The binding called; it holds the dispatcher serving the call.
    let binding: PreparedBinding
    /// The dispatcher serving the call.
    var dispatcher: Dispatcher { binding.dispatcher }

    /// The server the calling step runs for, the one named with `module.on(server)`, or the
    /// site's default server.
    public var server: String { binding.server ?? dispatcher.step.server }
    /// The real world in execution, the planned world in analysis.
    public var world: World { dispatcher.world }
    /// The run's mode, for bindings whose results say "planned".
    public var mode: RunMode { dispatcher.mode }

    /// Records that a binding declared as a read turned out to write (the database classified
    /// the statement as a write); the dispatcher records it like any write, described by the
    /// binding's ``Binding/describe``.
    public func noteWrite(_ call: borrowing LuaCall) throws {
        try dispatcher.noteDynamicWrite(call, invocation: self)
    }

    /// Pushes `module` with every binding aimed at `server` (the body of `module.on(server)`).
    public func pushScoped(_ module: String, server: String, into call: inout LuaCall) throws {
        try dispatcher.pushScoped(module, server: server, into: &call)
    }
}

/// One binding's declaration: its spec, its traits, how its writes are described, and the Swift
/// body that implements it. Listed in its module's ``BindingModule``, which gives it its module.
///
/// The body reads its arguments from the call, acts on ``BindingInvocation/world`` only, pushes
/// its results and returns their count. It never decides the mode: the dispatcher does.
public struct Binding {
    /// A binding's body.
    public typealias Body = (inout LuaCall, BindingInvocation) throws -> Int32

    public var spec: BindingSpec
    /// What the policy core needs to know about the binding besides its effect.
    public var traits: BindingTraits
    /// How a write of the binding is described to operators ("create volume lv_invoices, 24 MiB
    /// in vg_data, on production"): the calls of a write binding, and the writes a read binding
    /// discovers (``BindingInvocation/noteWrite(_:)``). Nil shows the raw call.
    public var describe: ChangeDescriber?
    public var body: Body
    /// For a run function made in Lua for each state (`phase.change`): makes it.
    var maker: ((Dispatcher, LuaState) throws -> LuaFunction)?

    /// Declares a binding of the module that lists it.
    ///
    /// - Parameters:
    ///   - name: the function's name in the module, such as `create`.
    ///   - effect: read or write; a binding that does not declare its effect is a write.
    ///   - analysisResult: for writes, what the call returns in analysis.
    ///   - kind: what it acts on (the world, unless it is one of the run's own functions).
    ///   - textArguments: the arguments reach the body converted as Lua's `tostring` does.
    ///   - traits: see ``BindingTraits``.
    ///   - describe: how its writes are described (see ``describe``).
    ///   - body: what a call does.
    public init(
        _ name: String, parameters: [BindingParameter] = [], results: [BindingResult] = [], summary: String,
        effect: BindingEffect = .write, analysisResult: String? = nil, kind: BindingKind = .world, textArguments: Bool = false,
        traits: BindingTraits = [], describe: ChangeDescriber? = nil, body: @escaping Body
    ) {
        self.init(BindingSpec(name: name, parameters: parameters, results: results, summary: summary, effect: effect,
                              analysisResult: analysisResult, kind: kind, textArguments: textArguments),
                  traits: traits, describe: describe, body: body)
    }

    /// A binding from a spec written out whole (its module, when named, must be the one that lists it).
    public init(_ spec: BindingSpec, traits: BindingTraits = [], describe: ChangeDescriber? = nil, body: @escaping Body) {
        self.spec = spec
        self.traits = traits
        self.describe = describe
        self.body = body
    }

    /// A run function that each state makes in Lua (documented, linted and installed like any
    /// other; the registry accepts it only as a read of kind `.run`).
    init(_ spec: BindingSpec, madeBy maker: @escaping (Dispatcher, LuaState) throws -> LuaFunction) {
        self.init(spec) { call, _ in throw PhaseKitError.internal("\(call.functionName) is made in Lua") }
        self.maker = maker
    }
}
