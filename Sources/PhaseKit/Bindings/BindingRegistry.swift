import LuaRuntime

/// Every Lua binding phasekit offers, each declared once with its effect.
///
/// The registry drives the dispatcher (which enforces the mode), the generated `Bindings/*.lua`
/// LuaCATS files and the API reference in docs/. Binding modules are declared as
/// ``BindingModule`` values and added with ``register(_:)``, which checks them.
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
    /// The values of the modules' read-only fields, by module and name, computed by the
    /// dispatcher that installs the module.
    private(set) var moduleConstants: [String: [String: (Dispatcher) -> LuaValue]] = [:]
    /// Bindings whose function is made in Lua for each state (such as `phase.change`, which must
    /// call a Lua function without a C boundary in between), by qualified name.
    private(set) var functionMakers: [String: (Dispatcher, LuaState) throws -> LuaFunction] = [:]
    /// Global functions that are another name of a binding (`print` for `phase.log`): global
    /// name → qualified name.
    private(set) var globals: [String: String] = [:]

    public init() {}

    /// Adds a module's declaration, or changes nothing and throws ``PhaseKitError/internal(_:)``
    /// when it is registered already, declares a binding twice, lists a binding of another
    /// module, or declares a class or alias already declared.
    public mutating func add(_ module: BindingModule) throws {
        guard moduleSummaries[module.name] == nil else {
            throw PhaseKitError.internal("module \(module.name) registered twice")
        }
        let declared = try module.resolvedBindings()
        for spec in module.classes where classes.contains(where: { $0.name == spec.name }) {
            throw PhaseKitError.internal("class \(spec.name) registered twice")
        }
        for spec in module.aliases where aliases.contains(where: { $0.name == spec.name }) {
            throw PhaseKitError.internal("alias \(spec.name) registered twice")
        }
        moduleSummaries[module.name] = module.summary
        for binding in declared {
            bindings.append(binding)
            if let maker = binding.maker { functionMakers[binding.spec.qualifiedName] = maker }
        }
        classes += module.classes
        aliases += module.aliases
        for constant in module.constants {
            moduleFields[module.name, default: []].append(constant.field)
            moduleConstants[module.name, default: [:]][constant.field.name] = constant.value
        }
        for (global, name) in module.globals { globals[global] = module.name + "." + name }
    }

    /// Adds a module the program declares: a mistake in its declaration is a programming error.
    public mutating func register(_ module: BindingModule) {
        do {
            try add(module)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    /// Declares a table shape for the generated files.
    public mutating func register(class spec: LuaClassSpec) {
        precondition(!classes.contains { $0.name == spec.name }, "class \(spec.name) registered twice")
        classes.append(spec)
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

    /// The declared traits of a binding; none for a name not declared.
    public func traits(of qualifiedName: String) -> BindingTraits {
        bindings.first { $0.spec.qualifiedName == qualifiedName }?.traits ?? []
    }
}
