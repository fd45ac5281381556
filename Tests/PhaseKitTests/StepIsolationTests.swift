import Foundation
import LuaRuntime
import PhaseKit
import Testing

/// Steps of one session share the world and the dispatcher, never a Lua state, while the run's
/// limits span them all.
@Suite("Each step runs in a pristine state")
struct StepIsolationTests {
    static func script(_ source: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-step-\(UUID().uuidString).lua").path
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func globalsAndRequireCacheDoNotSurviveAStep() throws {
        let first = try Self.script("leaked = 'yes' phase.log(type(rawget(_G, 'leaked')))")
        let second = try Self.script("phase.log(type(rawget(_G, 'leaked')), tostring(pcall(rawset, string, 'x', 1)))")
        defer { [first, second].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let session = try RunSession(options: RunOptions())
        defer { session.finish() }
        #expect(session.runScript(path: first, id: "one", title: "one").log == ["string"])
        #expect(session.runScript(path: second, id: "two", title: "two").log == ["nil\tfalse"])
    }

    @Test func theInstructionLimitSpansTheSteps() throws {
        // About 800,000 instructions each (an ADD and a FORLOOP per iteration): two fit one limit
        // of 1.2 million only when each step counts afresh.
        let busy = try Self.script("local x = 0 for i = 1, 400000 do x = x + i end phase.log('done')")
        defer { try? FileManager.default.removeItem(atPath: busy) }
        let session = try RunSession(options: RunOptions(limits: LuaLimits(time: .seconds(60), instructions: 1_200_000)))
        defer { session.finish() }
        let first = session.runScript(path: busy, id: "one", title: "one")
        #expect(first.error == nil)
        let second = session.runScript(path: busy, id: "two", title: "two")
        #expect(second.error?.kind == .limit(.instructions), "\(second.error?.message ?? "no error")")
    }
}
