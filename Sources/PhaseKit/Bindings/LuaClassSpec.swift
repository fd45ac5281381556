/// A table shape scripts receive or pass, such as `phasekit.Volume`, declared for the LuaCATS
/// files and the API reference.
public struct LuaClassSpec: Sendable, Hashable {
    /// One field of the table.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var type: LuaTypeName
        public var optional: Bool
        public var summary: String

        public init(_ name: String, _ type: LuaTypeName, optional: Bool = false, _ summary: String) {
            self.name = name
            self.type = type
            self.optional = optional
            self.summary = summary
        }
    }

    /// Dotted name, such as `phasekit.volumes.CreateOpts`.
    public var name: String
    public var summary: String
    public var fields: [Field]

    public init(_ name: String, _ summary: String, fields: [Field]) {
        self.name = name
        self.summary = summary
        self.fields = fields
    }
}

/// A closed set of string values, such as the volume roles, declared as a LuaCATS `---@alias`.
public struct LuaAliasSpec: Sendable, Hashable {
    public var name: String
    public var summary: String
    /// The allowed values with a description each.
    public var values: [(value: String, summary: String)]

    public init(_ name: String, _ summary: String, values: [(value: String, summary: String)]) {
        self.name = name
        self.summary = summary
        self.values = values
    }

    public static func == (lhs: LuaAliasSpec, rhs: LuaAliasSpec) -> Bool {
        lhs.name == rhs.name && lhs.summary == rhs.summary && lhs.values.map(\.value) == rhs.values.map(\.value)
            && lhs.values.map(\.summary) == rhs.values.map(\.summary)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
