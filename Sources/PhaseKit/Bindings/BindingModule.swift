import LuaRuntime

/// One Lua module, declared in one place: its name, its summary, the table shapes and value sets
/// it documents, and its bindings, each a ``Binding`` declaration.
///
/// ```swift
/// static let module = BindingModule("volumes", summary: "Logical volumes of the current server's pool.",
///                                   onServer: .init(target: "pool") { invocation, server in ... }, bindings: [
///     Binding("get", parameters: [.init("name", "string", "volume name")],
///             results: [.init("phasekit.Volume?", "the volume, or nil")],
///             summary: "Looks up one volume.", effect: .read, body: get),
/// ])
/// ```
///
/// ``BindingRegistry/add(_:)`` checks it: a module registered twice, a binding declared twice or
/// one whose spec names another module is refused.
public struct BindingModule {
    /// `MODULE.on(server)`: the module's functions aimed at another server of the site.
    public struct ServerSelector {
        /// What the functions act on, for the summary ("services", "pool", "root").
        public var target: String
        /// Throws when the server has no such resource, before the module is returned.
        public var check: (BindingInvocation, _ server: String) throws -> Void

        public init(target: String, check: @escaping (BindingInvocation, _ server: String) throws -> Void) {
            self.target = target
            self.check = check
        }
    }

    /// A read-only field of the module table (such as `phase.mode`) and how the dispatcher that
    /// installs the module computes its value.
    struct Constant {
        var field: LuaClassSpec.Field
        var value: (Dispatcher) -> LuaValue
    }

    /// The Lua module table, such as `volumes`.
    public var name: String
    /// One-line description, for the generated files.
    public var summary: String
    /// Table shapes the bindings take and return.
    public var classes: [LuaClassSpec]
    /// Closed sets of string values.
    public var aliases: [LuaAliasSpec]
    /// When set, the module offers `on(server)`.
    public var serverSelector: ServerSelector?
    public var bindings: [Binding]
    /// The module table's read-only fields.
    var constants: [Constant] = []
    /// Global functions that are another name of one of the module's bindings, such as `print`
    /// for `phase.log`: global name → binding name.
    var globals: [String: String] = [:]

    public init(
        _ name: String, summary: String, classes: [LuaClassSpec] = [], aliases: [LuaAliasSpec] = [],
        onServer serverSelector: ServerSelector? = nil, bindings: [Binding]
    ) {
        self.name = name
        self.summary = summary
        self.classes = classes
        self.aliases = aliases
        self.serverSelector = serverSelector
        self.bindings = bindings
    }

    /// Every binding the module offers: its declared ones and `on`, each with the module's name.
    ///
    /// - Throws: ``PhaseKitError/internal(_:)`` for a binding declared twice, one whose spec names
    ///   another module, or a function made in Lua that is not a read of the run.
    func resolvedBindings() throws -> [Binding] {
        var all = bindings
        if let serverSelector { all.append(.on(module: name, serverSelector)) }
        var names: Set<String> = []
        for index in all.indices {
            let spec = all[index].spec
            guard spec.module.isEmpty || spec.module == name else {
                throw PhaseKitError.internal("binding \(spec.module).\(spec.name) is listed in module \(name)")
            }
            guard names.insert(spec.name).inserted else {
                throw PhaseKitError.internal("binding \(name).\(spec.name) declared twice")
            }
            guard all[index].maker == nil || (spec.effect == .read && spec.kind == .run) else {
                throw PhaseKitError.internal("\(name).\(spec.name): only the run's own read functions can be made in Lua")
            }
            all[index].spec.module = name
        }
        return all
    }
}
