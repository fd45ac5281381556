import Testing
@testable import LuaRuntime

/// What the host holds for a script counts against the same memory limit as Lua's allocations.
@Suite("Host memory and the memory limit")
struct HostMemoryTests {
    let limits = LuaLimits(time: .seconds(30), memoryBytes: 16 << 20)

    func expectMemoryLimit(_ lua: LuaState, _ source: String) {
        do {
            _ = try lua.run(source: source, chunkName: "=host")
            Issue.record("the run ended without passing the memory limit")
        } catch {
            #expect(error.kind == .limit(.memory), "\(error)")
            #expect(error.message.contains("memory limit exceeded"), "\(error.message)")
        }
        #expect(lua.trippedLimit == .memory)
    }

    @Test func convertingArgumentsStopsAtWhatIsLeft() throws {
        let lua = try LuaState(limits: limits)
        lua.installFunction("take") { call in
            _ = try call.values()
            return 0
        }
        // One 4 MiB string referenced eight times: 32 MiB once converted.
        expectMemoryLimit(lua, "local s = string.rep('x', 4 << 20) local t = {} for i = 1, 8 do t[i] = s end take(t)")
    }

    @Test func conversionsWithinOneCallAddUp() throws {
        let lua = try LuaState(limits: limits)
        lua.installFunction("take") { call in
            _ = try call.value(1)
            _ = try call.value(2)
            _ = try call.value(3)
            return 0
        }
        // Each 5 MiB copy fits on its own; the three together with Lua's 5 MiB do not.
        expectMemoryLimit(lua, "local s = string.rep('x', 5 << 20) take(s, s, s)")
    }

    @Test func heldMemoryIsReleasedWhenTheCallReturns() throws {
        let lua = try LuaState(limits: limits)
        lua.installFunction("hold") { call in
            try call.holdMemory(8 << 20)
            return 0
        }
        _ = try lua.run(source: "for i = 1, 10 do hold() end", chunkName: "=host")
        #expect(lua.trippedLimit == nil)
        #expect(lua.hostMemoryInUse == 0)
    }

    @Test func declaredHostMemoryShrinksWhatLuaMayAllocate() throws {
        let lua = try LuaState(limits: limits)
        lua.installFunction("keep") { call in
            try call.setHostMemory("kept", bytes: Int(try call.integer(1)))
            return 0
        }
        _ = try lua.run(source: "keep(12 << 20)", chunkName: "=host")
        #expect(lua.hostMemoryInUse == 12 << 20)
        expectMemoryLimit(lua, "local s = string.rep('y', 6 << 20)")
    }

    @Test func declaringMoreThanTheLimitTripsIt() throws {
        let lua = try LuaState(limits: limits)
        lua.installFunction("keep") { call in
            try call.setHostMemory("kept", bytes: 32 << 20)
            return 0
        }
        expectMemoryLimit(lua, "pcall(keep) return 1")
    }
}
