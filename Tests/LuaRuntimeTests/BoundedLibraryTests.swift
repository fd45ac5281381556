import Foundation
import Testing
@testable import LuaRuntime

/// The shim's own `string.rep`, `table.insert`, `remove`, `move`, `concat`, `unpack`, `sort`,
/// `load` and `require` behave as the Lua 5.4 manual describes; each snippet returns `true`.
@Suite("Bounded library functions behave as the manual says")
struct BoundedLibraryTests {
    static let behaviours: [(String, String)] = [
        ("string.rep with and without a separator", """
            return string.rep("ab", 3) == "ababab" and string.rep("ab", 3, ",") == "ab,ab,ab"
                and string.rep("x", 0) == "" and string.rep("x", -5) == "" and string.rep("", 5, "-") == "----"
                and string.rep("abc", 1, "-") == "abc" and #string.rep("ab", 100001, "c") == 300002
            """),
        ("string.rep of nothing is instant", "return string.rep('', math.maxinteger) == ''"),
        ("string.rep past the largest string is an error", "return not pcall(string.rep, 'ab', math.maxinteger)"),
        ("table.insert appends and inserts", """
            local t = {1, 2, 3} table.insert(t, 4) table.insert(t, 1, 0) table.insert(t, 3, 1.5)
            return table.concat(t, ",") == "0,1,1.5,2,3,4"
            """),
        ("table.insert checks its position and argument count", """
            return not pcall(table.insert, {1}, 3, 'x') and not pcall(table.insert, {1}, 0, 'x')
                and not pcall(table.insert, {}, 1, 2, 3)
            """),
        ("table.remove removes, shifts and returns", """
            local t = {1, 2, 3, 4}
            local a = table.remove(t) local b = table.remove(t, 1)
            local e = {} local c = table.remove(e) local d = table.remove(e, 0)
            return a == 4 and b == 1 and table.concat(t, ",") == "2,3" and c == nil and d == nil
                and not pcall(table.remove, {1}, 5)
            """),
        ("table.move forwards, backwards and between tables", """
            local t = {1, 2, 3, 4, 5}
            table.move(t, 1, 3, 3) local forward = table.concat(t, ",")
            local u = {1, 2, 3, 4, 5} table.move(u, 3, 5, 1) local backward = table.concat(u, ",")
            local v = table.move({7, 8}, 1, 2, 2, {1})
            return forward == "1,2,1,2,3" and backward == "3,4,5,4,5" and table.concat(v, ",") == "1,7,8"
                and not pcall(table.move, {}, -1, math.maxinteger, 1)
            """),
        ("table.concat with ranges, numbers and errors", """
            return table.concat({1, "a", 2.5}, "-") == "1-a-2.5" and table.concat({1, 2, 3}, "", 2, 3) == "23"
                and table.concat({}, "x", 3, 2) == "" and not pcall(table.concat, {1, {}, 3})
            """),
        ("table.unpack with ranges", """
            local a, b, c = table.unpack({1, 2, 3}) local d, e = table.unpack({1, 2, 3}, 2)
            return a == 1 and b == 2 and c == 3 and d == 2 and e == 3 and select("#", table.unpack({}, 1, 3)) == 3
                and select("#", table.unpack({1}, 2, 1)) == 0 and not pcall(table.unpack, {}, 1, 1 << 40)
            """),
        ("table.sort orders numbers, strings and by a comparator", """
            local t = {} for i = 1, 1000 do t[i] = (i * 7919) % 1000 end table.sort(t)
            for i = 2, #t do if t[i - 1] > t[i] then return false end end
            local s = {"pear", "apple", "fig"} table.sort(s, function(x, y) return x > y end)
            return table.concat(s, ",") == "pear,fig,apple" and not pcall(table.sort, {1, "x", 2})
            """),
        ("table functions honour metamethods", """
            local log = {}
            local proxy = setmetatable({}, { __len = function() return 3 end,
                __index = function(_, k) return k * 10 end, __newindex = function(_, k, v) log[#log + 1] = k .. "=" .. tostring(v) end })
            table.insert(proxy, 1, 5)
            return table.concat(proxy, ",") == "10,20,30" and log[1] == "4=30" and log[#log] == "1=5"
            """),
        ("load compiles strings and readers, with an environment", """
            local parts, i = {"return ", "x + ", "1"}, 0
            local f = load(function() i = i + 1 return parts[i] end, "=reader", "t", {x = 41})
            local g, message = load("return +", "=broken")
            return f() == 42 and g == nil and message:find("broken") ~= nil and load("return 7")() == 7
            """),
        ("load refuses a chunk past the size limit", """
            local f, message = load(string.rep(" ", (4 << 20) + 1))
            return f == nil and message:find("chunk larger than") ~= nil
            """),
        ("os.date refuses a huge format but formats a normal one", """
            return not pcall(os.date, string.rep("%Y", 3000)) and os.date("!%Y", 0) == "1970"
            """),
    ]

    @Test("Behaves as the manual says", arguments: behaviours)
    func behavesAsTheManualSays(_ behaviour: (name: String, source: String)) throws {
        let lua = try LuaState(limits: LuaLimits(time: .seconds(30), memoryBytes: 256 << 20))
        let results = try lua.run(source: behaviour.source, chunkName: "=" + behaviour.name)
        #expect(results.first == .boolean(true), "\(behaviour.name)")
    }

    @Test func aQuadraticParseStopsAtTheDeadline() throws {
        let lua = try LuaState(limits: LuaLimits(time: .milliseconds(500), memoryBytes: 256 << 20))
        var source = "local x = ... if x == 0 then return 0\n"
        for branch in 1...100_000 { source += "elseif x == \(branch) then return \(branch)\n" }
        source += "end\n"
        let started = ContinuousClock.now
        let error = #expect(throws: LuaError.self) { _ = try lua.load(source: source, chunkName: "=chain") }
        #expect(error?.kind == .limit(.time), "\(String(describing: error))")
        #expect(error?.message.contains("while compiling chain") == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func aHugeRangeInATableFunctionStopsAtTheDeadline() throws {
        let lua = try LuaState(limits: LuaLimits(time: .milliseconds(300), memoryBytes: 64 << 20))
        let outcome = ThreadedRun.run("table.move({}, 1, 1 << 62, 1, {})", on: lua, chunkName: "=move")
        #expect((outcome.error as? LuaError)?.kind == .limit(.time), "\(outcome)")
    }
}
