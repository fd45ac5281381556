import Foundation
import TestSupport
import Testing
@testable import LuaRuntime
internal import CLuaShim

/// The wall-clock limit is enforced by a per-thread timer that hooks the running thread only once
/// the deadline has passed; these tests cover the places a script could run where that hook
/// would not reach: coroutines, `__close` handlers, other threads, nested states.
@Suite("Deadline watchdog")
struct WatchdogTests {
    let quick = LuaLimits(time: .milliseconds(300), memoryBytes: 16 * 1024 * 1024)

    /// Runs `source` on a thread of its own and expects the time limit within 10 seconds. If the
    /// watchdog misses, the test fails instead of hanging (the thread spins until the process exits).
    func expectTimeLimit(_ source: String, on given: LuaState? = nil) throws {
        let outcome = ThreadedRun.run(source, on: try given ?? LuaState(limits: quick), chunkName: "=watchdog")
        if case .stillRunning = outcome {
            Issue.record("the script was not stopped within 10 s")
            return
        }
        #expect((outcome.error as? LuaError)?.kind == .limit(.time), "got \(outcome)")
    }

    @Test func noHookRunsBeforeTheDeadline() throws {
        #expect(clua_watchdog_available() == 1)
        let lua = try LuaState(limits: quick)
        _ = try lua.run(source: "local s = 0 for i = 1, 1000 do s = s + i end return s")
        #expect(!lua.countHookArmed)
        #expect(try lua.run(source: "return 1") == [.integer(1)])
    }

    @Test func anInstructionLimitStillCountsEveryInstruction() throws {
        let lua = try LuaState(limits: LuaLimits(time: nil, instructions: 1_000_000))
        #expect(lua.countHookArmed)
        _ = try lua.run(source: "local s = 0 for i = 1, 1000 do s = s + i end return s")
        #expect(lua.instructionsExecuted > 0)
    }

    @Test func aLoopInANestedCoroutineStops() throws {
        try expectTimeLimit("""
            local inner = coroutine.create(function() while true do end end)
            local outer = coroutine.create(function() coroutine.resume(inner) end)
            coroutine.resume(outer)
            """)
    }

    @Test func aLoopInACloseHandlerRunByCoroutineCloseStops() throws {
        try expectTimeLimit("""
            local co = coroutine.create(function()
              local guard <close> = setmetatable({}, {__close = function() while true do end end})
              coroutine.yield()
            end)
            coroutine.resume(co)
            coroutine.close(co)
            """)
    }

    @Test func aCoroutineThatYieldsBackAndForthStops() throws {
        try expectTimeLimit("""
            local co = coroutine.wrap(function() while true do coroutine.yield() end end)
            while true do co() end
            """)
    }

    @Test func wrapErrorsKeepTheCallersPosition() throws {
        let lua = try LuaState(limits: quick)
        let error = #expect(throws: LuaError.self) {
            try lua.run(source: "local f = coroutine.wrap(function() error('boom') end)\nf()", chunkName: "=wrap")
        }
        #expect(error?.message.hasPrefix("wrap:2: wrap:1: boom") == true, "got \(String(describing: error?.message))")
        #expect(try lua.run(source: "local f = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) return f(1), f(5)") == [.integer(2), .integer(10)])
    }

    @Test func aThreadThatBlocksSignalsIsStillStopped() throws {
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: LuaError?
        let thread = Thread {
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_BLOCK, &all, nil)
            do {
                let lua = try LuaState(limits: LuaLimits(time: .milliseconds(300)))
                _ = try lua.run(source: "while true do end")
            } catch {
                outcome = error as? LuaError
            }
            finished.signal()
        }
        thread.start()
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(outcome?.kind == .limit(.time))
    }

    @Test func statesOnOtherThreadsKeepTheirOwnDeadlines() throws {
        let group = DispatchGroup()
        nonisolated(unsafe) var looping: LuaError?
        nonisolated(unsafe) var working: [LuaValue] = []
        group.enter()
        Thread.detachNewThread {
            do { _ = try LuaState(limits: LuaLimits(time: .milliseconds(200))).run(source: "while true do end") } catch { looping = error as? LuaError }
            group.leave()
        }
        group.enter()
        Thread.detachNewThread {
            let source = "local t = os.clock() local n = 0 while os.clock() - t < 0.6 do n = n + 1 end return n > 0"
            working = (try? LuaState(limits: LuaLimits(time: .seconds(30))).run(source: source)) ?? []
            group.leave()
        }
        #expect(group.wait(timeout: .now() + 10) == .success)
        #expect(looping?.kind == .limit(.time))
        #expect(working == [.boolean(true)])
    }

    @Test func aNestedStateOnTheSameThreadTripsAloneAndTheOuterGoesOn() throws {
        let outer = try LuaState(limits: LuaLimits(time: .seconds(30)))
        outer.installFunction("inner") { call in
            let inner = try LuaState(limits: LuaLimits(time: .milliseconds(200)))
            do {
                _ = try inner.run(source: "while true do end")
                call.push(integer: 0)
            } catch let error as LuaError {
                call.push(integer: error.kind == .limit(.time) ? 1 : 2)
            }
            return 1
        }
        #expect(try outer.run(source: "local r = inner() local s = 0 for i = 1, 1e6 do s = s + i end return r, s") == [.integer(1), .integer(500_000_500_000)])
        #expect(outer.trippedLimit == nil)
    }

    @Test func anOuterDeadlinePassedDuringANestedRunStillStopsTheOuter() throws {
        let outer = try LuaState(limits: LuaLimits(time: .milliseconds(200)))
        outer.installFunction("inner") { call in
            _ = try LuaState(limits: LuaLimits(time: .seconds(30))).run(source: "local t = os.clock() while os.clock() - t < 0.5 do end")
            return 0
        }
        try expectTimeLimit("inner() while true do end", on: outer)
    }

    @Test func restartingTheClockMovesTheDeadline() throws {
        let lua = try LuaState(limits: LuaLimits(time: .milliseconds(400)))
        #expect(Wait.until(10) { lua.isPastDeadline })
        lua.restartClock()
        #expect(!lua.isPastDeadline)
        #expect(try lua.run(source: "local t = os.clock() while os.clock() - t < 0.1 do end return 1") == [.integer(1)])
    }
}
