/// What the policy core needs to know about a binding besides its effect, declared with the
/// binding instead of being read from its name.
public struct BindingTraits: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Its writes are made inside the site database's transaction: applied ones are undone when
    /// their step fails (a failed step's report shows them failed, "rolled back: the step
    /// failed"), and a staged run that planned only such writes is executed by committing the
    /// stage's transaction (`StagedRun`).
    public static let rollsBackWithStep = BindingTraits(rawValue: 1 << 0)
}
