import Foundation
import LuaRuntime
import Testing
@testable import PhaseKit

/// The digests, Base64 and string literals the engine writes, against known values.
@Suite struct EncodingTests {
    /// FIPS 180-4's examples (and the empty message).
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesTheStandardsVectors(message: String, digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
    }

    @Test func sha256OfAMillionAs() {
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func bytesThatAreNotUTF8AreRecordedAsBase64() {
        let value = JSONValue(.string(LuaString(bytes: [0xff, 0xfe, 0x00, 0x41])))
        #expect(value == .object(["base64": .string("//4AQQ==")]))
    }

    @Test func stringLiteralsEscapeForJSONAndLua() {
        let text = "a\"b\\c\nd\re\tf\u{1}g"
        #expect(StringLiteral.json(text) == #""a\"b\\c\nd\re\tf\u0001g""#)
        #expect(StringLiteral.lua(text) == #""a\"b\\c\nd\re\tf\001g""#)
        #expect(JSONValue.object(["k\"": .string("v\n")]).compactExact == #"{"k\"":"v\n"}"#)
    }
}
