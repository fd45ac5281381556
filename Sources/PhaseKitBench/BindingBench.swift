import CBenchBaseline
import Foundation
import LuaRuntime
import PhaseKit

/// An in-memory resource for the benchmark bindings: one integer.
final class BenchStore {
    var value: Int64
    init(_ value: Int64 = 0) { self.value = value }
}

/// The benchmark's binding module, registered and installed like phasekit's own:
/// `bench.echo(i)` (a read returning its integer argument) and `bench.add(by)` (a write on an
/// in-memory store, recorded as a planned or applied change).
enum BenchModule {
    static var registry: BindingRegistry {
        var registry = BindingRegistry()
        registry.register(BindingModule("bench", summary: "Benchmark bindings.", bindings: [
            Binding("echo", parameters: [.init("value", "integer", "any integer")],
                    results: [.init("integer", "the same integer")], summary: "Returns its argument.", effect: .read) { call, _ in
                call.push(integer: try call.integer(1))
                return 1
            },
            Binding("add", parameters: [.init("by", "integer", "amount")],
                    results: [.init("integer", "the new value")], summary: "Adds to the store.",
                    effect: .write, analysisResult: "the new value in the planned world") { call, invocation in
                let store = try invocation.world.resource(Self.store, server: "")
                store.value += try call.integer(1)
                call.push(integer: store.value)
                return 1
            },
        ]))
        return registry
    }

    /// The module's resource kind.
    static let store = ResourceKey<BenchStore>("bench")

    /// A state with the module installed by a dispatcher for `mode`; analysis acts on a planned
    /// copy of `real`, execution on `real` itself.
    static func session(_ mode: RunMode, real: BenchStore = BenchStore()) throws -> (LuaState, Dispatcher) {
        let world = World(kind: mode == .analyze ? .planned : .real)
        world.provide(Self.store) { _ in mode == .analyze ? BenchStore(real.value) : real }
        let lua = try LuaState()
        let dispatcher = try Dispatcher(intent: RunIntent(mode), registry: registry, world: world)
        dispatcher.enter(StepContext(name: "bench", server: "local"))
        try dispatcher.install(into: lua)
        return (lua, dispatcher)
    }
}

/// Targets 1 and 2: the cost of one binding call, and of the analysis policy on a write.
enum BindingBench {
    /// The loop of `cbench_raw_loop`, character for character; `echo` is a global in both states.
    static let rawLoop = "local n = ... local s = 0 for i = 1, n do s = s + echo(i) end return s"
    static let writeLoop = "local n = ... local s = 0 for i = 1, n do s = s + bench.add(1) end return s"

    /// Runs `source` as a file-backed chunk (so change locations name a file) and returns its time.
    static func timeChunk(_ lua: LuaState, _ source: String, iterations: Int64, in directory: String) throws -> Double {
        let path = directory + "/loop-\(UUID().uuidString).lua"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
        defer { try? FileManager.default.removeItem(atPath: path) }
        let chunk = try lua.load(file: path)
        var results: [LuaValue] = []
        let elapsed = try timed { results = try lua.call(chunk, [.integer(iterations)]) }
        guard results.first?.integerValue != nil else { throw BenchError("the loop returned \(results)") }
        return elapsed
    }

    /// Target 1: `echo(i)` through the dispatcher vs a raw `lua_CFunction`, plus a context row
    /// against the raw function under the count hook phasekit arms when an instruction limit is set.
    static func bindingCall(rounds: Int, directory: String) throws -> [ResultRow] {
        let iterations: Int64 = 1_000_000
        let (lua, dispatcher) = try BenchModule.session(.execute)
        defer { dispatcher.close() }
        _ = try lua.run(source: "echo = bench.echo")
        let hookInterval = Int32(lua.limits.checkInterval)
        func c(_ elapsed: Int64) throws -> Double {
            guard elapsed > 0 else { throw BenchError("the C baseline loop failed") }
            return Double(elapsed)
        }
        var phasekit: [Double] = [], raw: [Double] = [], hooked: [Double] = []
        for round in -1..<rounds {   // round -1 warms up and is not recorded
            var sides: [() throws -> Void] = [
                { let t = try timeChunk(lua, rawLoop, iterations: iterations, in: directory); if round >= 0 { phasekit.append(t) } },
                { let t = try c(cbench_raw_loop(iterations)); if round >= 0 { raw.append(t) } },
                { let t = try c(cbench_hooked_loop(iterations, hookInterval)); if round >= 0 { hooked.append(t) } },
            ]
            for _ in 0..<(max(round, 0) % 3) { sides.append(sides.removeFirst()) }   // rotate who goes first
            for side in sides { try side() }
        }
        let perCall = { (samples: [Double]) in formatDuration(nanoseconds: median(samples) / Double(iterations)) + "/call" }
        let ratio = median(zip(phasekit, raw).map { $0 / $1 })
        let hookedRatio = median(zip(phasekit, hooked).map { $0 / $1 })
        let hookCost = median(zip(hooked, raw).map { $0 / $1 })
        return [
            ResultRow(
                benchmark: "1. binding call (read, integer)", subject: perCall(phasekit),
                baseline: perCall(raw) + " (raw C)", ratio: ratio, target: "<= 1.50x", passed: ratio <= 1.5,
                note: "\(iterations) iterations of `s = s + echo(i)`, \(rounds) rotating rounds, median of per-round ratios"
            ),
            ResultRow(
                benchmark: "1b. same, vs raw C under the count hook", subject: perCall(phasekit),
                baseline: perCall(hooked) + " (C + hook)", ratio: hookedRatio, target: "context", passed: nil,
                note: String(format: "an empty count hook every %d instructions alone makes the raw C loop %.2fx slower", hookInterval, hookCost)
            ),
        ]
    }

    /// Target 2: the same write binding in analysis (planned change) vs execution (applied change).
    static func policy(rounds: Int, directory: String) throws -> ResultRow {
        let iterations: Int64 = 20_000
        func run(_ mode: RunMode) throws -> Double {
            let (lua, dispatcher) = try BenchModule.session(mode)
            defer { dispatcher.close() }
            let elapsed = try timeChunk(lua, writeLoop, iterations: iterations, in: directory)
            guard dispatcher.recorder.changes.count == iterations else {
                throw BenchError("expected \(iterations) recorded changes, got \(dispatcher.recorder.changes.count)")
            }
            return elapsed
        }
        let samples = try PairedSamples.collect(rounds: rounds) { try run(.analyze) } baseline: { try run(.execute) }
        let ratio = samples.medianRatio
        return ResultRow(
            benchmark: "2. write binding, analysis vs execution",
            subject: formatDuration(nanoseconds: median(samples.subject) / Double(iterations)) + "/call (analysis)",
            baseline: formatDuration(nanoseconds: median(samples.baseline) / Double(iterations)) + "/call (execution)",
            ratio: ratio, target: "<= 1.20x", passed: ratio <= 1.2,
            note: "\(iterations) calls of `bench.add(1)` on an in-memory store, each recorded as a change; \(rounds) pairs"
        )
    }
}

/// A benchmark that could not run as intended.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
