/// A unified diff of two texts, line by line, as `diff -u` prints it: what `files.write` over an
/// existing file shows in plans and reports.
///
/// The line matching is a longest common subsequence computed by dynamic programming over the
/// lines that differ (common leading and trailing lines are set aside first). It is bounded: texts
/// larger than ``maximumBytes``, or whose differing parts would need more than ``maximumCells``
/// comparisons, get a one-line summary instead of a diff, and a diff longer than ``maximumLines``
/// is cut with a marker.
public enum TextDiff {
    /// Texts larger than this (either one) are summarized.
    public static let maximumBytes = 256 * 1024
    /// The most line comparisons a diff may take.
    public static let maximumCells = 4_000_000
    /// The most lines a diff shows.
    public static let maximumLines = 120
    /// Unchanged lines shown around each change.
    public static let context = 3

    /// The unified diff from `old` to `new`, headed `--- path (before)` / `+++ path (after)`
    /// (words true of a plan and of an applied change alike); nil when they are equal.
    ///
    /// ```swift
    /// TextDiff.unified(old: "a\nb\n", new: "a\nc\n", path: "etc/x.conf")
    /// // --- etc/x.conf (before)
    /// // +++ etc/x.conf (after)
    /// // @@ -1,2 +1,2 @@
    /// //  a
    /// // -b
    /// // +c
    /// ```
    public static func unified(old: [UInt8], new: [UInt8], path: String) -> String? {
        guard old != new else { return nil }
        guard old.count <= maximumBytes, new.count <= maximumBytes else {
            return "(\(ByteCount.format(Int64(old.count))) replaced by \(ByteCount.format(Int64(new.count))); too large to show a diff)"
        }
        // A NUL byte is the NUL character in UTF-8: looked for in the bytes (as characters, each
        // would cost grapheme breaking).
        guard !old.contains(0), !new.contains(0), let oldText = String(validating: old, as: UTF8.self),
              let newText = String(validating: new, as: UTF8.self) else {
            return "(binary content: \(ByteCount.format(Int64(old.count))) replaced by \(ByteCount.format(Int64(new.count))))"
        }
        let a = lines(oldText), b = lines(newText)
        guard let edits = edits(a, b) else {
            return "(\(a.count) lines replaced by \(b.count) lines; too many differences to show a diff)"
        }
        var output = ["--- \(path) (before)", "+++ \(path) (after)"]
        output += hunks(edits, a: a, b: b)
        if output.count > maximumLines + 2 {
            let hidden = output.count - maximumLines - 2
            output = Array(output.prefix(maximumLines + 2)) + ["… \(hidden) more diff line(s) not shown"]
        }
        return output.joined(separator: "\n")
    }

    /// One edit of the script from the old lines to the new ones.
    enum Edit: Equatable {
        case keep(old: Int, new: Int)
        case delete(old: Int)
        case insert(new: Int)
    }

    /// The lines of `text` without their newlines (a last newline ends the last line; it does not
    /// start an empty one). Split on the UTF-8 bytes: a newline is never part of another
    /// character's encoding, and splitting by `Character` costs grapheme breaking of every byte.
    static func lines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var parts: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "\n") {
                parts.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != utf8.endIndex { parts.append(text[start..<utf8.endIndex]) }
        return parts
    }

    /// The edits turning `a` into `b`, or nil when finding them would take too long.
    static func edits(_ a: [Substring], _ b: [Substring]) -> [Edit]? {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let oldMiddle = Array(a[prefix..<(a.count - suffix)]), newMiddle = Array(b[prefix..<(b.count - suffix)])
        let rows = oldMiddle.count, columns = newMiddle.count
        guard rows * columns <= maximumCells else { return nil }
        // lengths[i][j]: the longest common subsequence of oldMiddle[i...] and newMiddle[j...].
        var lengths = [Int32](repeating: 0, count: (rows + 1) * (columns + 1))
        let width = columns + 1
        if rows > 0 && columns > 0 {
            for i in stride(from: rows - 1, through: 0, by: -1) {
                for j in stride(from: columns - 1, through: 0, by: -1) {
                    lengths[i * width + j] = oldMiddle[i] == newMiddle[j]
                        ? lengths[(i + 1) * width + j + 1] + 1
                        : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
                }
            }
        }
        var edits = (0..<prefix).map { Edit.keep(old: $0, new: $0) }
        var i = 0, j = 0
        while i < rows || j < columns {
            if i < rows && j < columns && oldMiddle[i] == newMiddle[j] {
                edits.append(.keep(old: prefix + i, new: prefix + j))
                i += 1
                j += 1
            } else if j < columns && (i == rows || lengths[i * width + j + 1] >= lengths[(i + 1) * width + j]) {
                edits.append(.insert(new: prefix + j))
                j += 1
            } else {
                edits.append(.delete(old: prefix + i))
                i += 1
            }
        }
        edits += (0..<suffix).map { Edit.keep(old: a.count - suffix + $0, new: b.count - suffix + $0) }
        // Deletions before insertions within each run of changes, as diff -u shows them.
        return normalized(edits)
    }

    /// Puts the deletions of each run of changes before its insertions.
    static func normalized(_ edits: [Edit]) -> [Edit] {
        var result: [Edit] = []
        var deletions: [Edit] = [], insertions: [Edit] = []
        func flush() {
            result += deletions + insertions
            deletions = []
            insertions = []
        }
        for edit in edits {
            switch edit {
            case .keep:
                flush()
                result.append(edit)
            case .delete: deletions.append(edit)
            case .insert: insertions.append(edit)
            }
        }
        flush()
        return result
    }

    /// The `@@` hunks of an edit script, each with ``context`` unchanged lines around its changes.
    static func hunks(_ edits: [Edit], a: [Substring], b: [Substring]) -> [String] {
        let changed = edits.indices.filter { if case .keep = edits[$0] { false } else { true } }
        guard let first = changed.first else { return [] }
        // Group changed edits whose gap of kept lines is small enough to share a hunk.
        var groups: [(start: Int, end: Int)] = [(first, first)]
        for index in changed.dropFirst() {
            if index - groups[groups.count - 1].end <= 2 * context + 1 {
                groups[groups.count - 1].end = index
            } else {
                groups.append((index, index))
            }
        }
        var output: [String] = []
        for group in groups {
            let start = max(0, group.start - context), end = min(edits.count - 1, group.end + context)
            var lines: [String] = []
            var oldStart: Int?, newStart: Int?
            var oldCount = 0, newCount = 0
            for edit in edits[start...end] {
                switch edit {
                case .keep(let old, let new):
                    lines.append(" " + a[old])
                    oldStart = oldStart ?? old
                    newStart = newStart ?? new
                    oldCount += 1
                    newCount += 1
                case .delete(let old):
                    lines.append("-" + a[old])
                    oldStart = oldStart ?? old
                    oldCount += 1
                case .insert(let new):
                    lines.append("+" + b[new])
                    newStart = newStart ?? new
                    newCount += 1
                }
            }
            let oldFrom = oldCount == 0 ? position(before: edits, at: start, old: true) : (oldStart ?? 0) + 1
            let newFrom = newCount == 0 ? position(before: edits, at: start, old: false) : (newStart ?? 0) + 1
            output.append("@@ -\(oldFrom),\(oldCount) +\(newFrom),\(newCount) @@")
            output += lines
        }
        return output
    }

    /// For a hunk with no line on one side: the number of that side's lines before it (diff -u's convention).
    static func position(before edits: [Edit], at index: Int, old: Bool) -> Int {
        edits[..<index].reduce(0) { count, edit in
            switch edit {
            case .keep: count + 1
            case .delete: old ? count + 1 : count
            case .insert: old ? count : count + 1
            }
        }
    }
}
