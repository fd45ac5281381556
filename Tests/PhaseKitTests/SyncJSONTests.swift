import Testing
@testable import LuaRuntime

/// `Scripts/lib/sync/json.lua`, the decoder the RM phase reads its export with.
@Suite struct SyncJSONTests {
    /// Runs Lua `source` with `json` required; returns its results.
    func run(_ source: String) throws -> [LuaValue] {
        let lua = try LuaState(searchPath: [SyncFixture.repositoryRoot + "/Scripts/lib"])
        return try lua.run(source: "local json = require('sync.json')\n" + source)
    }

    /// Decodes `text` (a Lua long string) and returns `expression` evaluated on the result `v`.
    func decode(_ text: String, _ expression: String) throws -> LuaValue {
        try run("local v = json.decode([==[\(text)]==])\nreturn \(expression)").first ?? .nil
    }

    /// The error message of decoding `text`.
    func failure(_ text: String) throws -> String {
        try run("local v, err = json.try_decode([==[\(text)]==])\nassert(v == nil)\nreturn err").first?.stringValue ?? ""
    }

    @Test func decodesObjectsArraysAndScalars() throws {
        let text = #"{"a": [1, -2, 3.5, 1e3, true, false, null, "x"], "b": {"c": {}}, "d": []}"#
        #expect(try decode(text, "#v.a") == .integer(8))
        #expect(try decode(text, "v.a[1]") == .integer(1))
        #expect(try decode(text, "math.type(v.a[2])") == .text("integer"))
        #expect(try decode(text, "v.a[3]") == .number(3.5))
        #expect(try decode(text, "v.a[4]") == .number(1000))
        #expect(try decode(text, "v.a[5] == true and v.a[6] == false") == .boolean(true))
        #expect(try decode(text, "v.a[7] == json.null") == .boolean(true))
        #expect(try decode(text, "v.a[8]") == .text("x"))
        #expect(try decode(text, "next(v.b.c) == nil and #v.d == 0") == .boolean(true))
        #expect(try decode("  42  ", "v") == .integer(42))
        #expect(try decode("9223372036854775807", "v") == .integer(Int64.max))
        #expect(try decode("92233720368547758070", "math.type(v)") == .text("float"))
    }

    @Test func decodesStringEscapesAndUnicode() throws {
        #expect(try decode(#"["a\"b\\c\/d\n\t"]"#, "v[1]") == .text("a\"b\\c/d\n\t"))
        #expect(try decode(#"["\u00e9\u20ac"]"#, "v[1]") == .text("é€"))
        #expect(try decode(#"["\ud83d\ude00"]"#, "v[1]") == .text("😀"))
        #expect(try decode(#"["déjà vu"]"#, "v[1]") == .text("déjà vu"))
        #expect(try decode("\u{FEFF}{\"k\": 1}", "v.k") == .integer(1))
    }

    @Test func rejectsMalformedTextWithLineAndColumn() throws {
        #expect(try failure("{\n  \"a\": 1,\n}") == "json: expected a string key at line 3 column 1")
        #expect(try failure(#"{"a": 1 "b": 2}"#).hasPrefix("json: expected ',' or '}'"))
        #expect(try failure(#"{"a": 1, "a": 2}"#).contains("duplicate key 'a'"))
        #expect(try failure("[1, 2").contains("expected ',' or ']'"))
        #expect(try failure(#"["abc"#).contains("unterminated string"))
        #expect(try failure("[\"a\tb\"]").contains("control character"))
        #expect(try failure(#"["\x"]"#).contains("invalid escape"))
        #expect(try failure(#"["\ud83d"]"#).contains("lone high surrogate"))
        #expect(try failure("[01]").contains("leading zero"))
        #expect(try failure("[1.]").contains("digits expected after '.'"))
        #expect(try failure("[1e]").contains("exponent"))
        #expect(try failure("[tru]").contains("unexpected character 't'"))
        #expect(try failure("{} x").contains("trailing characters"))
        #expect(try failure("").contains("unexpected end of input"))
        #expect(try failure(String(repeating: "[", count: 300)).contains("nesting deeper than 200"))
    }

    @Test func decodeRaisesAndTryDecodeReturnsTheMessage() throws {
        #expect(throws: LuaError.self) { try run("return json.decode('[1,')") }
        #expect(try run("return json.try_decode('[1]')[1]").first == .integer(1))
    }
}
