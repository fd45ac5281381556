import TestSupport
import Foundation
import Testing
@testable import LuaRuntime

@Suite("Errors name file and line")
struct ErrorTests {
    func writeScript(_ source: String, name: String = "script.lua") throws -> String {
        let directory = TestScratch.path("phasekit-errors")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func syntaxErrorNamesFileAndLine() throws {
        let path = try writeScript("local a = 1\nlocal b = = 2\n")
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.load(file: path) }
        #expect(error?.kind == .syntax)
        #expect(error?.file == path)
        #expect(error?.line == 2)
        #expect(error?.message.hasPrefix("\(path):2:") == true)
    }

    @Test func runtimeErrorNamesFileLineAndTraceback() throws {
        let path = try writeScript("local function f()\n  error('boom')\nend\nf()\n")
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.call(try lua.load(file: path)) }
        #expect(error?.kind == .runtime)
        #expect(error?.message == "\(path):2: boom")
        #expect(error?.line == 2)
        #expect(error?.traceback?.contains("stack traceback") == true)
        #expect(error?.traceback?.contains("\(path):4") == true)
    }

    @Test func longPathsAreNotShortenedInMessages() throws {
        let longName = String(repeating: "deep_directory_name_", count: 5) + ".lua"
        let path = try writeScript("error('far away')\n", name: longName)
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.call(try lua.load(file: path)) }
        #expect(error?.message == "\(path):1: far away")
        #expect(error?.file == path)
    }

    @Test func hostErrorsCarryTheCallersPosition() throws {
        let path = try writeScript("local x = 1\nfail('nope')\n")
        let lua = try LuaState()
        lua.installFunction("fail") { call in
            throw LuaArgumentError(function: "fail", position: 1, "always fails: \(try call.string(1))")
        }
        let error = #expect(throws: LuaError.self) { try lua.call(try lua.load(file: path)) }
        #expect(error?.message == "\(path):2: bad argument #1 to 'fail' (always fails: nope)")
    }

    @Test func bytecodeIsRefused() throws {
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.load(source: "\u{1B}Lua\u{54}\u{00}", chunkName: "=bytes") }
        #expect(error?.kind == .syntax)
        #expect(error?.message.contains("binary") == true)
    }

    @Test func thousandsOfFailingHostCallsNeitherLeakNorCrash() throws {
        let lua = try LuaState()
        lua.installFunction("fail") { _ in throw LuaArgumentError(function: "fail", position: 1, "x") }
        let script = """
            local failures = 0
            for i = 1, 20000 do
              local ok, message = pcall(fail, i)
              if not ok and message:find("bad argument") then failures = failures + 1 end
            end
            collectgarbage()
            return failures, collectgarbage("count")
            """
        let before = lua.memoryInUse
        let results = try lua.run(source: script)
        #expect(results.first == .integer(20000))
        #expect(lua.memoryInUse < before + 256 * 1024)
    }
}
