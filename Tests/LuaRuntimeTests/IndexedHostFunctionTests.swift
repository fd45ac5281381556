import Testing
@testable import LuaRuntime

@Suite("Host functions: indexed light C functions and closures call the right body")
struct IndexedHostFunctionTests {
    /// A module of `count` functions, `f1` ... `fN`, each returning its own number.
    func installNumbered(_ lua: LuaState, module: String, count: Int, offset: Int64 = 0) throws {
        var functions: [String: LuaHostFunction] = [:]
        for index in 1...count {
            functions["f\(index)"] = { call in
                call.push(integer: Int64(index) + offset)
                return 1
            }
        }
        try lua.installModule(module, functions: functions)
    }

    @Test func moreFunctionsThanIndexedSlotsAllReachTheirOwnBody() throws {
        let lua = try LuaState()
        // 300 module functions: the first 250 get slots, the rest are closures.
        try installNumbered(lua, module: "m", count: 300)
        let check = try lua.load(source: """
            for i = 1, 300 do
              local got = m["f" .. i]()
              if got ~= i then return "f" .. i .. " returned " .. tostring(got) end
            end
            local iterator = coroutine.wrap(function() for i = 1, 300 do coroutine.yield(m["f" .. i]()) end end)
            for i = 1, 300 do if iterator() ~= i then return "in a coroutine, f" .. i .. " misrouted" end end
            return "ok"
            """, chunkName: "=check")
        #expect(try lua.call(check) == [.text("ok")])
    }

    @Test func eachStateRoutesItsSlotsToItsOwnFunctions() throws {
        let first = try LuaState(), second = try LuaState()
        try installNumbered(first, module: "m", count: 3, offset: 100)
        try installNumbered(second, module: "m", count: 3, offset: 200)
        let sum = "return m.f1() + m.f2() + m.f3()"
        #expect(try first.call(try first.load(source: sum, chunkName: "=sum")) == [.integer(306)])
        #expect(try second.call(try second.load(source: sum, chunkName: "=sum")) == [.integer(606)])
    }

    @Test func functionsMadePerCallNeverTakeASlot() throws {
        let lua = try LuaState()
        lua.installFunction("counter") { call in
            var next: Int64 = 0
            call.push(function: "counter iterator") { inner in
                next += 1
                inner.push(integer: next)
                return 1
            }
            return 1
        }
        let make = try lua.load(source: "for _ = 1, 400 do counter() end", chunkName: "=make")
        _ = try lua.call(make)
        // Slots are left for the module installed after the 400 iterators.
        try installNumbered(lua, module: "late", count: 5)
        #expect(lua.indexedHostFunctionCount == 6)
        #expect(try lua.call(try lua.load(source: "return late.f5()", chunkName: "=late")) == [.integer(5)])
    }
}
