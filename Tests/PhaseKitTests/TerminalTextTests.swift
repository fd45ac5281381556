import Testing
@testable import PhaseKit

@Suite("Text from data on the terminal")
struct TerminalTextTests {
    @Test func ordinaryTextPassesUnchanged() {
        for text in ["sync-service-0005", "Café Ødegård naïve", "東京サーバー 数据库", "🚀 done ✓ ~ ! ·", "👩‍💻 and 👨‍👩‍👧 and ❤️", "a\tb", "C:\\path\\x1b literal"] {
            #expect(TerminalText.line(text) == text)
            #expect(TerminalText.block(text) == text)
            #expect(TerminalText.line(bytes: Array(text.utf8)) == text)
        }
    }

    @Test func escapeSequencesAreShownNotSent() {
        #expect(TerminalText.line("dev-sandbox-17\u{1B}[1A\u{1B}[2K") == "dev-sandbox-17\\x1b[1A\\x1b[2K")
        #expect(TerminalText.line("\u{1B}]0;owned\u{07}") == "\\x1b]0;owned\\x07")
        #expect(TerminalText.line("\u{1B}[2J\u{1B}[31mred") == "\\x1b[2J\\x1b[31mred")
    }

    @Test func everyC0ControlButTabIsShownAsHex() {
        for value in UInt32(0)...0x1F where value != 0x09 && value != 0x0A {
            let scalar = Unicode.Scalar(value).map(String.init) ?? ""
            let hex = String(value, radix: 16)
            #expect(TerminalText.line("a\(scalar)b") == "a\\x\(hex.count == 1 ? "0" + hex : hex)b")
            #expect(TerminalText.block("a\(scalar)b") == TerminalText.line("a\(scalar)b"))
        }
        #expect(TerminalText.line("back\u{08}\u{08}space\r") == "back\\x08\\x08space\\x0d")
    }

    @Test func newlinePassesOnlyWhereTheLayoutMeansIt() {
        #expect(TerminalText.line("name\n      + remove service svc-1") == "name\\x0a      + remove service svc-1")
        #expect(TerminalText.block("first\nsecond\r\n") == "first\nsecond\n", "CRLF ends a line")
        #expect(TerminalText.block("over\rwrite\r\r\n") == "over\\x0dwrite\\x0d\n")
        #expect(TerminalText.line("second\r\n") == "second\\x0d\\x0a")
    }

    @Test func deleteAndC1ControlsAreShown() {
        #expect(TerminalText.line("a\u{7F}b") == "a\\x7fb")
        for value in UInt32(0x80)...0x9F {
            let scalar = Unicode.Scalar(value).map(String.init) ?? ""
            #expect(TerminalText.line(scalar) == "\\u00" + String(value, radix: 16))
        }
        #expect(TerminalText.line("\u{9B}1A") == "\\u009b1A")
    }

    @Test func bidiControlsAreShown() {
        let bidi: [UInt32] = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C]
        for value in bidi {
            let scalar = Unicode.Scalar(value).map(String.init) ?? ""
            #expect(TerminalText.line("x\(scalar)y") == "x\\u" + String(repeating: "0", count: 4 - String(value, radix: 16).count) + String(value, radix: 16) + "y")
        }
        #expect(TerminalText.line("svc-\u{202E}evomer") == "svc-\\u202eevomer")
    }

    @Test func invisibleFormatCharactersAreShown() {
        #expect(TerminalText.line("pro\u{200B}d") == "pro\\u200bd")
        #expect(TerminalText.line("pro\u{200D}d") == "pro\\u200dd")
        #expect(TerminalText.line("pro\u{2060}d\u{FEFF}") == "pro\\u2060d\\ufeff")
        #expect(TerminalText.line("soft\u{AD}hyphen") == "soft\\u00adhyphen")
        #expect(TerminalText.block("line\u{2028}sep\u{2029}") == "line\\u2028sep\\u2029")
        #expect(TerminalText.line("tag\u{E0041}") == "tag\\U000e0041")
    }

    @Test func invalidUTF8IsShownByteByByte() {
        #expect(TerminalText.line(bytes: [0x61, 0xFF, 0x62, 0xC3]) == "a\\xffb\\xc3")
        #expect(TerminalText.line(bytes: [0xC0, 0x80, 0x1B]) == "\\xc0\\x80\\x1b")
        #expect(TerminalText.line(bytes: Array("é\n".utf8)) == "é\\x0a")
        #expect(TerminalText.block(bytes: Array("é\n".utf8)) == "é\n")
        // A C1 control encoded as UTF-8 is a character, not a stray byte.
        #expect(TerminalText.line(bytes: [0xC2, 0x9B]) == "\\u009b")
    }

    @Test func neutralizedTextIsLeftAlone() {
        let once = TerminalText.block("a\u{1B}[1A\u{202E}\u{85}\r\nb\u{200B}")
        #expect(TerminalText.block(once) == once)
        #expect(!once.unicodeScalars.contains { TerminalText.isNeutralized($0) && $0 != "\n" })
    }
}
