internal import CLua

/// A value the host keeps in the registry of the state it belongs to, compared by identity.
///
/// It is released when the last Swift reference goes away or when the state closes, whichever
/// comes first.
public class LuaRegistryReference: Hashable {
    let reference: Int32
    weak var owner: LuaState?

    init(reference: Int32, owner: LuaState) {
        self.reference = reference
        self.owner = owner
    }

    deinit {
        owner?.releaseReference(reference)
    }

    public static func == (lhs: LuaRegistryReference, rhs: LuaRegistryReference) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A Lua function held by the host.
///
/// Call it with ``LuaState/call(_:_:)`` on the same state.
public final class LuaFunction: LuaRegistryReference {}
