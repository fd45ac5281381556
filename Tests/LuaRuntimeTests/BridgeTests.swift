import Testing
@testable import LuaRuntime

@Suite("Value bridge")
struct BridgeTests {
    let lua: LuaState
    init() throws { lua = try LuaState() }

    /// Passes a value into Lua and back through an identity function.
    func roundTrip(_ value: LuaValue) throws -> LuaValue {
        let identity = try lua.load(source: "return ...", chunkName: "=identity")
        return try lua.call(identity, [value]).first ?? .nil
    }

    @Test func scalarsKeepTheirTypes() throws {
        #expect(try roundTrip(.nil) == .nil)
        #expect(try roundTrip(.boolean(false)) == .boolean(false))
        #expect(try roundTrip(.integer(Int64.min)) == .integer(Int64.min))
        #expect(try roundTrip(.integer(3)) == .integer(3))
        #expect(try roundTrip(.number(3.0)) == .number(3.0))
        #expect(try roundTrip(.number(-0.5)) == .number(-0.5))
    }

    @Test func integersAndFloatsStayDistinctInLua() throws {
        let types = try lua.call(try lua.load(source: "return math.type((...)), math.type((select(2, ...)))", chunkName: "=t"), [.integer(1), .number(1)])
        #expect(types == [.text("integer"), .text("float")])
    }

    @Test func stringsAreByteExact() throws {
        let bytes: [UInt8] = [0, 1, 0xFF, 0xFE, 0x41, 0, 0x80]
        #expect(try roundTrip(.string(LuaString(bytes: bytes))) == .string(LuaString(bytes: bytes)))
        let length = try lua.call(try lua.load(source: "return #(...)", chunkName: "=len"), [.string(LuaString(bytes: bytes))])
        #expect(length == [.integer(7)])
    }

    @Test func nestedTablesRoundTrip() throws {
        var inner = LuaTable(array: [.integer(1), .text("two")])
        inner["flag"] = .boolean(true)
        var outer = LuaTable(["name": .text("vg0")])
        outer["items"] = .table(inner)
        outer.fields[.integer(10)] = .number(2.5)
        #expect(try roundTrip(.table(outer)) == .table(outer))
    }

    @Test func sequenceWithHoleKeepsTheRestAsFields() throws {
        let value = try lua.run(source: "return {1, 2, nil, 4}").first
        guard case .table(let table) = value else { Issue.record("not a table"); return }
        #expect(table.array.count + table.fields.count == 3)
    }

    @Test func cyclesAreRefusedWithAPath() throws {
        let load = try lua.load(source: "local t = {a = {}}; t.a.back = t; return t", chunkName: "=cycle")
        let error = #expect(throws: LuaError.self) { try lua.call(load) }
        #expect(error?.message.contains("cycle") == true)
        #expect(error?.message.contains(".a.back") == true)
    }

    @Test func functionsAreRefusedWherePlainValuesAreNeeded() throws {
        lua.installFunction("take") { call in
            _ = try call.value(1)
            return 0
        }
        #expect(throws: LuaError.self) { try lua.run(source: "take({f = print or function() end})") }
        do {
            try lua.run(source: "take({f = function() end})")
        } catch {
            #expect(error.message.contains("a function cannot be used as a plain value"))
            #expect(error.message.contains(".f"))
        }
    }

    @Test func coroutinesAndUserdataCannotCross() throws {
        #expect(throws: LuaError.self) { try lua.run(source: "return coroutine.create(function() end)") }
    }

    @Test func deepNestingIsRefused() throws {
        #expect(throws: LuaError.self) {
            try lua.run(source: "local t = {}; local c = t; for i = 1, 500 do c.n = {}; c = c.n end; return t")
        }
    }
}
