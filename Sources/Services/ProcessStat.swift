internal import Foundation

/// The fields of `/proc/PID/stat` this module relies on.
///
/// `proc(5)` numbers the fields from 1: `pid (comm) state ppid pgrp ... starttime(22) ...`. The command
/// name may contain spaces and parentheses, so parsing starts after the last `)`.
struct ProcessStat: Sendable, Equatable {
    /// The process id.
    var pid: Int32
    /// The one-letter state (`R`, `S`, `D`, `Z`, `T`, ...).
    var state: Character
    /// The process group id (field 5).
    var processGroup: Int32
    /// The start time in clock ticks after boot (field 22); with `pid` it identifies one process.
    var startTime: UInt64
    /// The session id (field 6); a service leads its own session, so it equals its pid.
    var session: Int32 = 0

    /// Whether the process has exited and only waits to be reaped.
    var isZombie: Bool { state == "Z" || state == "X" }

    /// Parses the text of a `/proc/PID/stat` file.
    ///
    /// - Parameter text: the file's content.
    /// - Returns: the fields, or `nil` when the text is not in the `proc(5)` format.
    static func parse(_ text: String) -> ProcessStat? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"),
              let pid = Int32(text[..<open].trimmingCharacters(in: .whitespaces))
        else { return nil }
        // Fields 3... follow the command name; index 0 of `rest` is field 3.
        let rest = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard rest.count > 19, let state = rest[0].first,
              let group = Int32(rest[2]), let session = Int32(rest[3]), let start = UInt64(rest[19])
        else { return nil }
        return ProcessStat(pid: pid, state: state, processGroup: group, startTime: start, session: session)
    }

    /// Reads the stat of a live (or zombie) process.
    ///
    /// - Parameter pid: the process id.
    /// - Returns: its fields, or `nil` when no such process exists.
    static func read(pid: Int32) -> ProcessStat? {
        guard pid > 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// Whether any process of group `group` is still alive (not a zombie).
    ///
    /// - Parameter group: the process group id.
    /// - Returns: `true` when at least one non-zombie member remains.
    /// - Throws: when `/proc` cannot be listed: a group that cannot be seen is never "gone".
    static func groupHasLiveMembers(_ group: Int32) throws -> Bool {
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = Int32(entry), let stat = read(pid: pid) else { continue }
            if stat.processGroup == group && !stat.isZombie { return true }
        }
        return false
    }
}
