internal import CLua

/// A Lua function held by the host, kept alive in the registry of the state it belongs to.
///
/// Call it with ``LuaState/call(_:_:)`` on the same state; it is released when the last Swift
/// reference goes away or when the state closes, whichever comes first.
public final class LuaFunction: Hashable {
    let reference: Int32
    weak var owner: LuaState?

    init(reference: Int32, owner: LuaState) {
        self.reference = reference
        self.owner = owner
    }

    deinit {
        owner?.releaseReference(reference)
    }

    public static func == (lhs: LuaFunction, rhs: LuaFunction) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
