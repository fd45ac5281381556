import LuaRuntime

/// Every Lua binding phasekit offers, each declared once with its effect.
///
/// The registry drives the dispatcher (which enforces the mode), the generated `Bindings/*.lua`
/// LuaCATS files and the API reference in docs/. Binding modules add themselves with
/// ``register(_:)``; registering a name twice is a programming error.
public struct BindingRegistry {
    public private(set) var bindings: [Binding] = []
    /// One-line descriptions of the modules, for the generated files.
    public private(set) var moduleSummaries: [String: String] = [:]
    /// Table shapes the bindings take and return, by name.
    public private(set) var classes: [LuaClassSpec] = []
    /// Closed sets of string values.
    public private(set) var aliases: [LuaAliasSpec] = []
    /// Read-only fields of a module table (such as `phase.mode`), by module.
    public private(set) var moduleFields: [String: [LuaClassSpec.Field]] = [:]
    /// The values of the fields registered with ``register(constant:of:value:)``, by module and
    /// name, computed by the dispatcher that installs the module.
    private(set) var moduleConstants: [String: [String: (Dispatcher) -> LuaValue]] = [:]
    /// Bindings whose function is made in Lua for each state (such as `phase.change`, which must
    /// call a Lua function without a C boundary in between), by qualified name.
    private(set) var functionMakers: [String: (Dispatcher, LuaState) throws -> LuaFunction] = [:]

    public init() {}

    /// Adds a binding.
    public mutating func register(_ binding: Binding) {
        precondition(!bindings.contains { $0.spec.qualifiedName == binding.spec.qualifiedName },
                     "binding \(binding.spec.qualifiedName) registered twice")
        bindings.append(binding)
    }

    /// Adds several bindings of one module, with the module's description.
    public mutating func register(module: String, summary: String, _ moduleBindings: [Binding]) {
        moduleSummaries[module] = summary
        for binding in moduleBindings { register(binding) }
    }

    /// Declares a table shape for the generated files.
    public mutating func register(class spec: LuaClassSpec) {
        precondition(!classes.contains { $0.name == spec.name }, "class \(spec.name) registered twice")
        classes.append(spec)
    }

    /// Declares a read-only field of a module table and how the dispatcher computes its value.
    mutating func register(constant field: LuaClassSpec.Field, of module: String, value: @escaping (Dispatcher) -> LuaValue) {
        moduleFields[module, default: []].append(field)
        moduleConstants[module, default: [:]][field.name] = value
    }

    /// Adds a binding whose function each state makes in Lua (documented, linted and
    /// installed like any other; its effect must be `.read` and its kind `.run`).
    mutating func register(_ spec: BindingSpec, madeBy maker: @escaping (Dispatcher, LuaState) throws -> LuaFunction) {
        precondition(spec.effect == .read && spec.kind == .run, "only the run's own read functions can be made in Lua")
        register(Binding(spec) { _, _ in throw PhaseKitError.internal("\(spec.qualifiedName) is made in Lua") })
        functionMakers[spec.qualifiedName] = maker
    }

    /// Declares a closed set of string values for the generated files.
    public mutating func register(alias spec: LuaAliasSpec) {
        precondition(!aliases.contains { $0.name == spec.name }, "alias \(spec.name) registered twice")
        aliases.append(spec)
    }

    /// The modules in a stable order.
    public var modules: [String] { Array(Set(bindings.map(\.spec.module))).sorted() }

    /// The bindings of one module, sorted by name.
    public func bindings(of module: String) -> [Binding] {
        bindings.filter { $0.spec.module == module }.sorted { $0.spec.name < $1.spec.name }
    }

    /// The declared effect of a binding; anything not declared as a read is a write.
    public func effect(of qualifiedName: String) -> BindingEffect {
        bindings.first { $0.spec.qualifiedName == qualifiedName }?.spec.effect ?? .write
    }
}
