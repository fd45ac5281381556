/// Cuts text from a site (a title, a log line, a finding, a diff) to a byte budget, so that no
/// document grows with what a step wrote: the cut is at a character boundary and says how much went.
struct TextCap: Sendable {
    /// Bytes kept of one text.
    var maxBytes: Int

    /// `text`, or its first `maxBytes` bytes (whole characters) and `… (N bytes cut)`.
    func cut(_ text: String) -> String {
        let count = text.utf8.count
        guard count > maxBytes else { return text }
        var kept = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            if kept + size > maxBytes { break }
            kept += size
            end = text.index(after: index)
        }
        return String(text[..<end]) + "… (\(count - kept) bytes cut)"
    }

    /// ``cut(_:)`` of an optional text.
    func cut(_ text: String?) -> String? { text.map(cut) }
}
