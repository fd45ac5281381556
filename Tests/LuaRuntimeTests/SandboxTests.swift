import TestSupport
import Foundation
import Testing
@testable import LuaRuntime

/// Escape attempts: each snippet must either fail with a Lua error or return `true` (safe).
@Suite("Sandbox escape attempts")
struct SandboxTests {
    static let mustBeTrue: [(String, String)] = [
        ("no io library", "return io == nil"),
        ("no debug library", "return debug == nil"),
        ("no package library", "return package == nil"),
        ("no dofile", "return dofile == nil"),
        ("no loadfile", "return loadfile == nil"),
        ("os has only time, clock and date", """
            local names = {} for k in pairs(os) do names[#names + 1] = k end table.sort(names)
            return table.concat(names, ",") == "clock,date,time"
            """),
        ("no os.execute", "return os.execute == nil and os.getenv == nil and os.remove == nil and os.exit == nil"),
        ("no string.dump", "return string.dump == nil"),
        ("string metatable is locked", "return getmetatable('') == 'locked'"),
        ("library tables are locked", "return getmetatable(string) == 'locked' and getmetatable(math) == 'locked'"),
        ("_G has no hidden registry", "return rawget(_G, '_REGISTRY') == nil and rawget(_G, 'package') == nil"),
        ("require has no package.loaded to poison", "return package == nil"),
        ("collectgarbage cannot stop the collector", "return not pcall(collectgarbage, 'stop')"),
        ("collectgarbage cannot change the mode", "return not pcall(collectgarbage, 'generational')"),
        ("getmetatable of a locked library hides the real one", "return type(getmetatable(os)) == 'string'"),
        ("string methods still work", "return ('abc'):upper() == 'ABC' and ('a,b'):find(',') == 2"),
        ("pairs lists a locked library", "local n = 0 for _ in pairs(math) do n = n + 1 end return n > 10"),
        ("# works on a locked library", "return #table == 0"),
        ("locked libraries are userdata that rawset and rawget refuse",
         "return type(string) == 'userdata' and not pcall(rawset, math, 'pi', 3) and not pcall(rawget, os, 'time') and math.pi > 3"),
        ("ipairs and string methods still work through the proxies", "return ('%d'):format(3) == '3' and select('#', ipairs(table)) == 3"),
        ("load defaults to text and sandbox globals", "local f = load('return io') return f() == nil"),
        ("load with an env cannot reach io", "local f = load('return io', 'x', 't', {}) return f() == nil"),
    ]

    static let mustFail: [(String, String)] = [
        ("load refuses bytecode", "assert(load('\\27Lua\\84\\0\\25\\147\\r\\n\\26\\n', 'x', 'b'))"),
        ("load refuses bytecode even when asked for binary mode", "assert(load(string.char(27, 76, 117, 97, 84, 0), nil, 'bt'))"),
        ("setmetatable on the string metatable", "setmetatable(getmetatable(''), {})"),
        ("replacing string.find", "string.find = function() return 1 end"),
        ("rawset cannot reach the real string table through the proxy", "rawset(string, 'find', nil) assert(string.find == nil)"),
        ("os.execute call", "os.execute('touch /tmp/phasekit-pwned')"),
        ("io.open", "io.open('/etc/passwd')"),
        ("require of a C module", "require('socket.core')"),
        ("require with path traversal", "require('../../../etc/passwd')"),
        ("require of an absolute path", "require('/etc/passwd')"),
        ("require of a module with a slash", "require('lib/x')"),
        ("package.loadlib", "package.loadlib('/lib/x86_64-linux-gnu/libc.so.6', 'system')"),
        ("debug.getregistry", "debug.getregistry()"),
        ("setting a metatable on a locked library", "setmetatable(os, {})"),
        ("string.rep to exhaust memory", "string.rep('x', 1 << 62)"),
        ("load a chunk with a syntax error", "assert(load('x ='))"),
        ("coroutine escape through a yielded error", "local co = coroutine.wrap(function() error('x') end) co()"),
        ("os.date with an invalid conversion", "os.date('%Ez')"),
    ]

    @Test(arguments: mustBeTrue.map(\.0))
    func safeByConstruction(name: String) throws {
        let source = Self.mustBeTrue.first { $0.0 == name }?.1 ?? ""
        let lua = try LuaState()
        let results = try lua.run(source: source, chunkName: "=escape")
        #expect(results.first == .boolean(true), "\(name)")
    }

    @Test(arguments: mustFail.map(\.0))
    func refusedWithAnError(name: String) throws {
        let source = Self.mustFail.first { $0.0 == name }?.1 ?? ""
        let lua = try LuaState(limits: LuaLimits(time: .seconds(5), memoryBytes: 64 * 1024 * 1024))
        #expect(throws: LuaError.self, "\(name)") { try lua.run(source: source, chunkName: "=escape") }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/phasekit-pwned"))
    }

    @Test func requireLoadsSourceModulesFromTheSearchPathOnly() throws {
        let directory = TestScratch.path("phasekit-lib")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("util"), withIntermediateDirectories: true)
        try "return { answer = 42 }".write(to: directory.appendingPathComponent("util/numbers.lua"), atomically: true, encoding: .utf8)
        let lua = try LuaState(searchPath: [directory.path])
        let results = try lua.run(source: "local a = require('util.numbers') local b = require('util.numbers') return a.answer, a == b")
        #expect(results == [.integer(42), .boolean(true)])
        #expect(throws: LuaError.self) { try lua.run(source: "require('util.missing')") }
    }

    @Test func requireRefusesBytecodeModules() throws {
        let directory = TestScratch.path("phasekit-lib")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data([0x1B, 0x4C, 0x75, 0x61, 0x54, 0x00]).write(to: directory.appendingPathComponent("evil.lua"))
        let lua = try LuaState(searchPath: [directory.path])
        let error = #expect(throws: LuaError.self) { try lua.run(source: "require('evil')") }
        #expect(error?.message.contains("binary") == true)
    }

    @Test func hostModulesAreReadOnly() throws {
        let lua = try LuaState()
        try lua.installModule("phase", functions: [:], constants: ["mode": .text("analyze")])
        #expect(throws: LuaError.self) { try lua.run(source: "phase.mode = 'execute'") }
        let results = try lua.run(source: "pcall(rawset, phase, 'mode', 'execute') return getmetatable(phase)")
        #expect(results == [.text("locked")])
    }
}
