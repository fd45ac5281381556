internal import CLua
import Synchronization

/// A value the host keeps in the registry of the state it belongs to, compared by identity.
///
/// It is released when the last Swift reference goes away or when the state closes, whichever
/// comes first.
///
/// Sendable, so that plain values holding one (``LuaValue``, ``LuaTable``) can be handed to
/// another thread; the compiler cannot check it (the owner is a ``LuaState``, which is not
/// Sendable), so it is asserted here, where it holds:
/// - both stored properties are constants, and `owner` is a weak reference (Swift loads those
///   atomically);
/// - the reference is only used through a state the caller holds, after checking that the state
///   is its `owner`; a state is used from one thread at a time, so the use happens on that thread;
/// - releasing it never touches the state: `deinit` queues the registry slot in ``releases``
///   (behind a `Mutex`), and the state frees queued slots on its own thread (``LuaState/drainReleases()``).
public class LuaRegistryReference: Hashable, @unchecked Sendable {
    let reference: Int32
    weak let owner: LuaState?
    /// The owner's queue of registry slots to free.
    let releases: LuaReleaseQueue

    init(reference: Int32, owner: LuaState) {
        self.reference = reference
        self.owner = owner
        self.releases = owner.releases
    }

    deinit {
        releases.add(reference)
    }

    public static func == (lhs: LuaRegistryReference, rhs: LuaRegistryReference) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Registry slots whose Swift references went away, waiting for their state to free them on its thread.
final class LuaReleaseQueue: Sendable {
    private let slots = Mutex<[Int32]>([])

    func add(_ reference: Int32) {
        slots.withLock { $0.append(reference) }
    }

    /// Takes every queued slot.
    func take() -> [Int32] {
        slots.withLock { slots in
            defer { slots.removeAll() }
            return slots
        }
    }
}

/// A Lua function held by the host.
///
/// Call it with ``LuaState/call(_:_:)`` on the same state. Sendable for the reasons given on
/// ``LuaRegistryReference`` (Swift asks a subclass to restate it).
public final class LuaFunction: LuaRegistryReference, @unchecked Sendable {}
