/// What the policy core needs to know about a binding besides its effect, declared with the
/// binding instead of being read from its name.
public struct BindingTraits: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Its applied writes are undone when their step fails (the database's step transaction):
    /// a failed step's report shows them failed, "rolled back: the step failed".
    public static let rollsBackWithStep = BindingTraits(rawValue: 1 << 0)
}
