import Foundation
import LuaRuntime
import Testing
@testable import PhaseKit

@Suite("Analyze/execute policy")
struct PolicyTests {
    @Test func analysisRecordsWritesAndNeverAppliesThem() throws {
        let real = CounterStore(["a": 1])
        let (lua, dispatcher) = try CounterModule.session(.analyze, real: real)
        let results = try lua.run(source: "local v = counter.add('a', 5) return v, counter.get('a')", chunkName: "@/scripts/plan.lua")
        #expect(results == [.integer(6), .integer(6)])   // later reads see the plan
        #expect(real.values == ["a": 1])
        let change = try #require(dispatcher.recorder.changes.first)
        #expect(change.binding == "counter.add")
        #expect(change.arguments == [.string("a"), .int(5)])
        #expect(change.status == .planned)
        #expect(change.location == "/scripts/plan.lua:1")
        #expect(change.step == "test")
        #expect(change.result == [.int(6)])
    }

    @Test func executionAppliesAndRecordsTheResult() throws {
        let real = CounterStore(["a": 1])
        let (lua, dispatcher) = try CounterModule.session(.execute, real: real)
        try lua.run(source: "counter.add('a', 2)")
        #expect(real.values == ["a": 3])
        #expect(dispatcher.recorder.changes.map(\.status) == [.applied])
    }

    @Test func undeclaredEffectIsAWrite() throws {
        #expect(CounterModule.registry.effect(of: "counter.reset") == .write)
        #expect(CounterModule.registry.effect(of: "counter.nonexistent") == .write)
        let real = CounterStore(["a": 1])
        let (lua, dispatcher) = try CounterModule.session(.analyze, real: real)
        try lua.run(source: "counter.reset()")
        #expect(real.values == ["a": 1])
        #expect(dispatcher.recorder.changes.map(\.binding) == ["counter.reset"])
    }

    @Test func readsAreNotRecorded() throws {
        let (lua, dispatcher) = try CounterModule.session(.analyze, real: CounterStore())
        try lua.run(source: "counter.get('x')")
        #expect(dispatcher.recorder.changes.isEmpty)
    }

    static let hiddenWrites: [String] = [
        "pcall(counter.add, 'a', 1)",
        "pcall(function() counter.add('a', 1) error('hide') end)",
        "xpcall(function() error('x') end, function() counter.add('a', 1) end)",
        "coroutine.wrap(function() counter.add('a', 1) end)()",
        "local co = coroutine.create(function() coroutine.yield(counter.add('a', 1)) end) coroutine.resume(co)",
        "string.gsub('x', 'x', function() counter.add('a', 1) end)",
        "table.sort({3, 2, 1}, function(p, q) counter.add('a', 1) return p < q end)",
        "local t = setmetatable({}, {__index = function() return counter.add('a', 1) end}) local _ = t.missing",
        "local t = setmetatable({}, {__newindex = function() counter.add('a', 1) end}) t.x = 1",
        "load('counter.add(\"a\", 1)')()",
        "local f = counter.add f('a', 1)",
        "local c = counter local g = c['add'] g('a', 1)",
        "for _, f in pairs(counter) do if _ == 'add' then f('a', 1) end end",
        "do local x <close> = setmetatable({}, {__close = function() counter.add('a', 1) end}) end",
    ]

    @Test(arguments: hiddenWrites)
    func hiddenWritesAreRecordedAndNotApplied(source: String) throws {
        let real = CounterStore(["a": 1])
        let (lua, dispatcher) = try CounterModule.session(.analyze, real: real)
        try lua.run(source: source)
        #expect(real.values == ["a": 1], "\(source)")
        #expect(dispatcher.recorder.changes.contains { $0.binding == "counter.add" && $0.status == .planned }, "\(source)")
    }

    @Test func scriptsCanReadButNotChangeTheMode() throws {
        let real = CounterStore(["a": 1])
        let (lua, dispatcher) = try CounterModule.session(.analyze, real: real)
        #expect(try lua.run(source: "return phase.mode") == [.text("analyze")])
        #expect(throws: LuaError.self) { try lua.run(source: "phase.mode = 'execute'") }
        #expect(throws: LuaError.self) { try lua.run(source: "rawset(phase, 'mode', 'execute')") }
        #expect(throws: LuaError.self) { try lua.run(source: "rawset(counter, 'add', print)") }
        try lua.run(source: "pcall(rawset, phase, 'mode', 'execute') counter.add('a', 1)")
        #expect(try lua.run(source: "return phase.mode, type(rawequal(counter.add, print))") == [.text("analyze"), .text("boolean")])
        #expect(dispatcher.mode == .analyze)
        #expect(real.values == ["a": 1])
        #expect(throws: LuaError.self) { try lua.run(source: "setmetatable(phase, {})") }
        #expect(try lua.run(source: "return getmetatable(counter)") == [.text("locked")])
    }

    @Test func replacingTheModuleGlobalDoesNotLeakWrites() throws {
        let real = CounterStore(["a": 1])
        let (lua, _) = try CounterModule.session(.analyze, real: real)
        try lua.run(source: "local saved = counter counter = nil counter = saved counter.add('a', 1)")
        #expect(real.values == ["a": 1])
    }

    @Test func callsAfterTheRunAreRefused() throws {
        let (lua, dispatcher) = try CounterModule.session(.analyze, real: CounterStore())
        let keep = try lua.load(source: "counter.add('a', 1)", chunkName: "=late")
        dispatcher.close()
        let error = #expect(throws: LuaError.self) { try lua.call(keep) }
        #expect(error?.message.contains("the run is over") == true)
    }

    @Test func aDispatcherRefusesTheWrongWorld() throws {
        #expect(throws: PhaseKitError.self) {
            _ = try Dispatcher(intent: .analyze, registry: CounterModule.registry, world: World(kind: .real))
        }
        #expect(throws: PhaseKitError.self) {
            _ = try Dispatcher(intent: .execute, registry: CounterModule.registry, world: World(kind: .planned))
        }
    }

    @Test func failedWritesAreRecordedAsFailed() throws {
        let (lua, dispatcher) = try CounterModule.session(.execute, real: CounterStore())
        #expect(throws: LuaError.self) { try lua.run(source: "counter.add('a', 'not a number')") }
        #expect(dispatcher.recorder.changes.first?.status == .failed)
        #expect(dispatcher.recorder.changes.first?.error?.contains("integer expected") == true)
    }

    @Test func issuesAndLogsAreRecorded() throws {
        let (lua, dispatcher) = try CounterModule.session(.analyze, real: CounterStore())
        try lua.run(source: """
            phase.issue{ summary = 'stale request 7', detail = 'in progress at backup', resolution = 'planned' }
            phase.issue('address 10.0.0.5 conflicts')
            phase.log('checked', 3, 'requests') print('done')
            """, chunkName: "@/scripts/find.lua")
        let findings = dispatcher.recorder.findings
        #expect(findings.map(\.resolution) == [.planned, .manual])
        #expect(findings.first?.location == "/scripts/find.lua:1")
        #expect(dispatcher.recorder.log.map(\.message) == ["checked\t3\trequests", "done"])
        #expect(throws: LuaError.self) { try lua.run(source: "phase.issue{ summary = 'x', resolution = 'later' }") }
        #expect(throws: LuaError.self) { try lua.run(source: "phase.issue{}") }
    }
}
