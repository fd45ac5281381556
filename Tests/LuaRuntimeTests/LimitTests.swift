import Foundation
import Testing
@testable import LuaRuntime

@Suite("Run limits")
struct LimitTests {
    let quick = LuaLimits(time: .milliseconds(300), memoryBytes: 16 * 1024 * 1024)

    /// Runs `source` on a thread of its own and expects `limit` within 10 seconds; if the limit is
    /// missed the test fails instead of hanging (the thread spins until the process exits).
    func expectLimit(_ limit: LuaLimit, limits: LuaLimits? = nil, _ source: String) throws {
        let lua = try LuaState(limits: limits ?? quick)
        let outcome = ThreadedRun.run(source, on: lua, chunkName: "=limits")
        if case .stillRunning = outcome {
            Issue.record("the \(limit.rawValue) limit did not stop the script within 10 s")
            return
        }
        #expect((outcome.error as? LuaError)?.kind == .limit(limit), "got \(outcome)")
        #expect(lua.trippedLimit == limit)
    }

    @Test func infiniteLoopHitsTheTimeLimit() throws {
        try expectLimit(.time, "while true do end")
    }

    @Test func instructionLimitStopsALoop() throws {
        try expectLimit(.instructions, limits: LuaLimits(time: nil, instructions: 100_000), "local i = 0 while true do i = i + 1 end")
    }

    @Test func memoryBombIsACleanError() throws {
        try expectLimit(.memory, "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1024) .. i end")
    }

    @Test func stringRepBombIsACleanError() throws {
        try expectLimit(.memory, "local s = string.rep('x', 1 << 30)")
    }

    @Test func pcallCannotSwallowTheTimeLimit() throws {
        try expectLimit(.time, "while true do pcall(function() while true do end end) end")
    }

    @Test func xpcallCannotSwallowTheMemoryLimit() throws {
        try expectLimit(.memory, """
            local ok = xpcall(function() local t = {} while true do t[#t + 1] = {} end end, function(m) return m end)
            local keep = {} for i = 1, 1e7 do keep[i] = {} end
            """)
    }

    @Test func coroutineResumeCannotSwallowALimit() throws {
        try expectLimit(.time, """
            while true do
              local co = coroutine.create(function() while true do end end)
              coroutine.resume(co)
            end
            """)
    }

    @Test func coroutineWrapPropagatesALimit() throws {
        try expectLimit(.time, "local f = coroutine.wrap(function() while true do end end) pcall(f) while true do end")
    }

    @Test func errorHandlerLoopingForeverStillStops() throws {
        try expectLimit(.time, "xpcall(function() error('x') end, function() while true do end end) while true do end")
    }

    @Test func pathologicalPatternStopsInsideTheMatcher() throws {
        try expectLimit(.time, "return string.find(string.rep('a', 60000), '.-.-.-.-.-.-.-.-b')")
    }

    @Test func pathologicalGsubStopsInsideTheMatcher() throws {
        try expectLimit(.time, "return (string.rep('a', 60000)):gsub('.-.-.-.-.-.-.-.-b', '')")
    }

    @Test func loadWithALoopingReaderCannotSwallowALimit() throws {
        try expectLimit(.time, "while true do load(function() while true do end end) end")
    }

    @Test func aTrippedStateRefusesFurtherCalls() throws {
        let lua = try LuaState(limits: quick)
        #expect(throws: LuaError.self) { try lua.run(source: "while true do end") }
        let error = #expect(throws: LuaError.self) { try lua.run(source: "return 1") }
        #expect(error?.kind == .limit(.time))
    }

    @Test func finalizersAreRefusedBecauseHooksCannotBoundThem() throws {
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) {
            try lua.run(source: "setmetatable({}, {__gc = function() while true do end end})")
        }
        #expect(error?.message.contains("__gc") == true)
    }

    @Test func aFinalizerPlaceholderIsRefusedToo() throws {
        let lua = try LuaState()
        #expect(throws: LuaError.self) {
            try lua.run(source: "local mt = {__gc = true} setmetatable({}, mt) mt.__gc = function() while true do end end")
        }
    }

    @Test func aFinalizerAddedLaterNeverRuns() throws {
        let started = Date()
        do {
            let lua = try LuaState(limits: LuaLimits(time: .seconds(60)))
            try lua.run(source: "local mt = {} setmetatable({}, mt) mt.__gc = function() while true do end end collectgarbage()")
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func warningsAreCollected() throws {
        let lua = try LuaState()
        try lua.run(source: "warn('@on') warn('disk ', 'almost full')")
        #expect(lua.warnings == ["disk almost full"])
    }

    @Test func normalWorkStaysWithinLimits() throws {
        let lua = try LuaState(limits: quick)
        let results = try lua.run(source: "local s = 0 for i = 1, 100000 do s = s + i end return s")
        #expect(results == [.integer(5_000_050_000)])
        #expect(lua.trippedLimit == nil)
    }
}
