import Foundation

/// The step titles of a ``ProgressGrid`` cut to the width its terminal leaves them, each still
/// telling its row apart.
///
/// A title that fits is shown whole. A longer one is cut at its end (`Delete snapshot logical
/// volumes on e…`), unless another title would then read the same: titles that share their
/// beginning past the cut (`Delete failover context on each server` and `Delete failover
/// context on each server (changed servers)`) keep a short beginning and show, after `…`, the
/// part where they differ (`Delete failover con…(changed servers)`), cut at its end when it is
/// longer than the room. A title that is the beginning of another keeps its cut at the end.
enum GridTitles {
    /// The shortest beginning a title cut in the middle keeps.
    static let minimumHead = 8

    /// Each of `titles` (already neutralized) in at most `width` characters, unpadded.
    static func fitted(_ titles: [String], width: Int) -> [String] {
        var shown = titles.map { cutAtEnd($0, width) }
        for (text, indices) in Dictionary(grouping: shown.indices, by: { shown[$0] }) where indices.count > 1 && text.count >= width {
            let group = indices.map { titles[$0] }
            for (index, title) in zip(indices, group) {
                // Where it parts from the titles it would be confused with.
                let shared = group.filter { $0 != title }.map { commonPrefixLength(title, $0) }.max() ?? title.count
                // Identical titles cannot be told apart; the beginning of another one reads right cut at its end.
                guard shared < title.count else { continue }
                shown[index] = showingDifference(title, from: shared, width: width)
            }
        }
        return shown
    }

    /// `title` cut at its end with `…` when it is longer than `width`.
    static func cutAtEnd(_ title: String, _ width: Int) -> String {
        title.count <= width ? title : String(title.prefix(max(0, width - 1))) + "…"
    }

    /// `title` in `width` characters showing the part from `difference` on: a beginning, `…`, the
    /// word where it differs and what follows (itself cut at its end when the room is short).
    static func showingDifference(_ title: String, from difference: Int, width: Int) -> String {
        let characters = Array(title)
        guard characters.count > width, width > minimumHead + 2 else { return cutAtEnd(title, width) }
        var start = max(1, min(difference, characters.count - 1))
        // Back to the start of the word it differs in, when that is near.
        if characters[start] != " ", characters[start - 1] != " ", let space = characters[..<start].lastIndex(of: " "), start - space <= 12 {
            start = space + 1
        }
        while start < characters.count, characters[start] == " " { start += 1 }
        let rest = String(characters[start...])
        if rest.count + 1 + minimumHead <= width {
            let head = String(characters.prefix(width - 1 - rest.count))
            return String(head.trimmingTrailingSpaces) + "…" + rest
        }
        let head = String(String(characters.prefix(minimumHead)).trimmingTrailingSpaces)
        return head + "…" + cutAtEnd(rest, width - head.count - 1)
    }

    /// A grid's heading for `room` characters: without its closing remark in brackets (`analysis
    /// (nothing is changed)` → `analysis`) when the whole does not fit, rather than cut in it.
    static func heading(_ heading: String, room: Int) -> String {
        guard heading.count > room, heading.hasSuffix(")"), let open = heading.range(of: " (", options: .backwards) else { return heading }
        return String(heading[..<open.lowerBound])
    }

    /// How many characters two titles share at their beginning.
    static func commonPrefixLength(_ first: String, _ second: String) -> Int {
        zip(first, second).prefix { $0 == $1 }.count
    }
}
