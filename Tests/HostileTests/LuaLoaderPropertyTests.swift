import LuaRuntime
import PropertyBased
import Testing

/// Random text given to the Lua loader.
@Suite("Lua loader properties")
struct LuaLoaderPropertyTests {
    static let fragments = ["local", "function", "end", "(", ")", "[[", "]]", "--[==[", "\"", "'", "\\", "\u{0}", "\u{1B}Lua",
                            "goto", "::x::", "<close>", "<const>", "0x", "1e999", "..", "...", "=", "{", "}", "return", "\n", " ",
                            "é", "\u{FEFF}", "#!", "x", "9", "\u{7F}"]

    /// Text built from Lua-ish fragments and arbitrary characters.
    static let source = Generator { rng in
        (0..<Int.random(in: 0...40, using: &rng)).map { _ -> String in
            Bool.random(using: &rng)
                ? fragments.randomElement(using: &rng) ?? ""
                : String(UnicodeScalar(UInt8.random(in: 0...255, using: &rng)))
        }.joined()
    }

    @Test func randomTextEitherLoadsOrIsASyntaxError() async throws {
        let lua = try LuaState()
        await propertyCheck(count: 400, input: Self.source) { text in
            do {
                _ = try lua.load(source: text, chunkName: "=fuzz")
            } catch let error as LuaError {
                #expect(error.kind == .syntax, "\(error.kind): \(error.message)")
            } catch {
                Issue.record("not a LuaError: \(error)")
            }
        }
    }

    @Test func textStartingLikeBytecodeIsRefusedAsSyntax() async throws {
        let lua = try LuaState()
        await propertyCheck(count: 100, input: Self.source) { text in
            #expect(throws: LuaError.self) { try lua.load(source: "\u{1B}" + text, chunkName: "=fuzz") }
        }
    }
}
