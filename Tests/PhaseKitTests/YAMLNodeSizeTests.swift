import PhaseKit
import Testing

/// The node limit that stops alias bombs grows with the text: a configuration written out in
/// full is read however large, an alias bomb is refused even inside a large file.
@Suite struct YAMLNodeSizeTests {
    @Test func aLargeLiteralDocumentIsRead() throws {
        // 150,000 scalars: more than the fixed 100,000, each written out.
        let text = "items:\n" + String(repeating: "  - 1\n", count: 150_000)
        let node = try YAMLNode.parse(text, file: "big.yaml")
        #expect(try node.mapping(allowed: ["items"])["items"]?.sequence().count == 150_000)
    }

    @Test func anAliasBombIsRefusedEvenInALargeFile() {
        var text = "# " + String(repeating: "x", count: 300_000) + "\n"
        text += "a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
        for level in 1...8 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [" + Array(repeating: previous, count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(throws: PhaseKitError.self) { try YAMLNode.parse(text, file: "bomb.yaml") }
    }
}
