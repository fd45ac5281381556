/// Whether a binding only looks at the world or changes it.
public enum BindingEffect: String, Sendable, Codable {
    /// Never changes the world; runs in both modes.
    case read
    /// Changes the world: in analysis it is recorded and acts only on the planned world.
    case write
}

/// What a binding acts on, which decides how the dispatcher calls it.
public enum BindingKind: Sendable, Hashable {
    /// The world (a database, volumes, services, files): its ``BindingEffect`` is enforced.
    case world
    /// `module.on(server)`: returns the module's functions aimed at another server; the module it
    /// returns does not offer it again.
    case serverSelector
    /// The run itself (`phase.*`: findings, log, warnings, review files): never the world, so
    /// never part of a saved plan's fingerprint.
    case run
}

/// A Lua type as the API reference and the LuaCATS files name it.
public struct LuaTypeName: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The LuaCATS spelling, such as `string`, `integer`, `phasekit.Volume[]`, `string?`.
    public var name: String
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public var description: String { name }
}

/// One parameter of a binding: a name, a type, whether it may be left out, and a summary; the
/// same shape as a field of a declared table.
public typealias BindingParameter = LuaClassSpec.Field

/// One result of a binding.
public struct BindingResult: Sendable, Hashable {
    public var type: LuaTypeName
    public var summary: String

    public init(_ type: LuaTypeName, _ summary: String) {
        self.type = type
        self.summary = summary
    }
}

/// The declaration of one Lua binding: the single source for dispatch, policy, the generated
/// LuaCATS files and the API reference.
public struct BindingSpec: Sendable, Hashable {
    /// The Lua module table, such as `db`: given by the ``BindingModule`` that lists the binding.
    public var module: String
    /// The function's name in the module, such as `exec`.
    public var name: String
    public var parameters: [BindingParameter]
    public var results: [BindingResult]
    /// One-paragraph description for the reference.
    public var summary: String
    /// Read or write. A binding that does not declare its effect is a write.
    public var effect: BindingEffect
    /// For writes: what the call returns in analysis, where it acts on the planned world.
    public var analysisResult: String?
    /// What it acts on.
    public var kind: BindingKind
    /// The arguments reach the body converted as Lua's `tostring` does (`__tostring` included,
    /// run as script code under the run's limits): `phase.log`, `phase.warn`.
    public var textArguments: Bool

    public init(
        module: String = "", name: String, parameters: [BindingParameter] = [], results: [BindingResult] = [],
        summary: String, effect: BindingEffect = .write, analysisResult: String? = nil,
        kind: BindingKind = .world, textArguments: Bool = false
    ) {
        self.kind = kind
        self.textArguments = textArguments
        self.module = module
        self.name = name
        self.parameters = parameters
        self.results = results
        self.summary = summary
        self.effect = effect
        self.analysisResult = analysisResult
    }

    /// `module.name`, as scripts call it and messages name it.
    public var qualifiedName: String { "\(module).\(name)" }
}
