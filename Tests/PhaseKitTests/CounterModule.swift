import LuaRuntime
@testable import PhaseKit

/// A test-only resource: named counters in memory.
final class CounterStore {
    var values: [String: Int64]
    init(_ values: [String: Int64] = [:]) { self.values = values }
}

extension ResourceKey where Resource == CounterStore {
    static var counter: Self { Self("counter") }
}

/// A test-only binding module: `counter.get` (read), `counter.add` (write), `counter.reset`
/// (effect not declared, so a write).
enum CounterModule {
    static var registry: BindingRegistry {
        var registry = BindingRegistry()
        registry.register(BindingModule("counter", summary: "Test counters.", bindings: [
            Binding("get", parameters: [.init("name", "string", "counter")],
                    results: [.init("integer", "value")], summary: "Reads a counter.", effect: .read) { call, invocation in
                let store = try invocation.world.resource(.counter, server: "")
                call.push(integer: store.values[try call.string(1)] ?? 0)
                return 1
            },
            Binding("add", parameters: [.init("name", "string", "counter"), .init("by", "integer", "amount")],
                    results: [.init("integer", "new value")], summary: "Adds to a counter.", effect: .write,
                    analysisResult: "the new value in the planned world") { call, invocation in
                let store = try invocation.world.resource(.counter, server: "")
                let name = try call.string(1)
                store.values[name, default: 0] += try call.integer(2)
                call.push(integer: store.values[name] ?? 0)
                return 1
            },
            Binding("reset", summary: "Clears every counter (effect left undeclared).") { _, invocation in
                try invocation.world.resource(.counter, server: "").values = [:]
                return 0
            },
        ]))
        return registry
    }

    /// A session over `real`: analysis acts on a copy, execution on `real` itself.
    static func session(_ mode: RunMode, real: CounterStore) throws -> (LuaState, Dispatcher) {
        let world = World(kind: mode == .analyze ? .planned : .real)
        world.provide(.counter) { _ in mode == .analyze ? CounterStore(real.values) : real }
        let lua = try LuaState()
        let dispatcher = try Dispatcher(intent: RunIntent(mode), registry: registry, world: world)
        dispatcher.enter(StepContext(name: "test", server: "local"))
        try dispatcher.install(into: lua)
        return (lua, dispatcher)
    }
}
