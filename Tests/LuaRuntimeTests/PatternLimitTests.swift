import Foundation
import Testing
@testable import LuaRuntime

/// The pattern matcher (Sources/CLuaShim/pattern_*.c) within the run's limits: its steps count
/// against the instruction budget, deep patterns end in a Lua error, plain search stays linear.
@Suite("Pattern matcher limits")
struct PatternLimitTests {
    /// Runs `source` on a thread of its own; fails the test instead of hanging when it runs on.
    func outcome(_ source: String, limits: LuaLimits) throws -> (ThreadedRun, LuaState) {
        let lua = try LuaState(limits: limits)
        let outcome = ThreadedRun.run(source, on: lua, chunkName: "=patterns")
        if case .stillRunning = outcome { Issue.record("the script ran on past its limits") }
        return (outcome, lua)
    }

    @Test func matcherStepsCountAgainstTheInstructionBudget() throws {
        // A handful of VM instructions, millions of matcher steps: only the matcher can trip it.
        let (outcome, lua) = try outcome("return string.find(string.rep('a', 3000), '.-.-.-.-b')",
                                         limits: LuaLimits(time: nil, instructions: 2_000_000))
        #expect((outcome.error as? LuaError)?.kind == .limit(.instructions), "got \(outcome)")
        #expect(lua.trippedLimit == .instructions)
    }

    @Test func gmatchStopsAtTheTimeLimit() throws {
        let (outcome, lua) = try outcome("for x in string.rep('a', 5000):gmatch('.-.-.-.-b') do end",
                                         limits: LuaLimits(time: .milliseconds(300)))
        #expect((outcome.error as? LuaError)?.kind == .limit(.time), "got \(outcome)")
        #expect(lua.trippedLimit == .time)
    }

    @Test func deepPatternsEndInALuaErrorNotACrash() throws {
        let lua = try LuaState()
        let results = try lua.run(source: """
            local s = string.rep('a', 300000)
            local ok1, e1 = pcall(string.match, s, string.rep('a?', 300000))
            local ok2, e2 = pcall(string.find, s, string.rep('(a', 100) .. string.rep(')', 100))
            local ok3, e3 = pcall(string.gsub, s, string.rep('.-', 300000) .. '$', '')
            return e1, e2, e3
            """, chunkName: "=deep")
        #expect(results == [.text("pattern too complex"), .text("too many captures"), .text("pattern too complex")])
    }

    @Test func nestedGsubCallbacksEndInALuaError() throws {
        let lua = try LuaState()
        let results = try lua.run(source: """
            local function nest(s) return (s:gsub('.', nest)) end
            local ok, message = pcall(nest, string.rep('x', 1000))
            return ok, message:find('stack overflow') ~= nil
            """, chunkName: "=nested")
        #expect(results == [.boolean(false), .boolean(true)])
    }

    @Test func plainFindOfAHugeNeedleIsFast() throws {
        // A naive search is 2 MB x 2 MB comparisons; memmem in windows takes milliseconds.
        let (outcome, _) = try outcome("""
            local subject = string.rep('a', 4 << 20)
            local needle = string.rep('a', 2 << 20) .. 'b'
            assert(string.find(subject, needle, 1, true) == nil)
            assert(string.find(subject, needle) == nil)
            assert(string.find(subject .. 'b', needle, 1, true) == (2 << 20) + 1)
            """, limits: LuaLimits(time: .seconds(5)))
        #expect(outcome.error == nil, "got \(outcome)")
    }
}
