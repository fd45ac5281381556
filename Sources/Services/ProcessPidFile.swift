import SystemCalls
internal import Foundation
internal import Glibc

/// The pidfile of one process-managed service: the process id and its start time.
///
/// The start time (field 22 of `/proc/PID/stat`) tells a reused PID from the process that was
/// started: a PID alone could name an unrelated process after the service died. The file holds one
/// line, `PID STARTTIME`, and is replaced atomically (written to a temporary file, then renamed).
struct ProcessPidFile: Sendable, Equatable {
    /// The service's process id, which is also its process group and session id.
    var pid: Int32
    /// The process's start time in clock ticks after boot.
    var startTime: UInt64

    /// The file's one line.
    var text: String { "\(pid) \(startTime)\n" }

    /// Parses a pidfile's content.
    ///
    /// - Parameter text: the content.
    /// - Returns: the record, or `nil` when the content is malformed.
    static func parse(_ text: String) -> ProcessPidFile? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 2, let pid = Int32(fields[0]), pid > 0, let start = UInt64(fields[1]) else { return nil }
        return ProcessPidFile(pid: pid, startTime: start)
    }

    /// Reads the pidfile at `path`.
    ///
    /// - Parameter path: the file.
    /// - Returns: `.some(nil)` when the file exists but is malformed, `nil` when it does not exist.
    static func read(at path: String) -> ProcessPidFile?? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return .some(parse(String(decoding: data, as: UTF8.self)))
    }

    /// Writes the record atomically: to `path.tmp`, flushed to disk, then renamed over `path`.
    ///
    /// - Parameter path: the pidfile.
    /// - Throws: ``SystemCallError`` when a step fails.
    func write(to path: String) throws {
        let temporary = path + ".tmp"
        let descriptor = try SystemCall.run("open(\(temporary))") {
            open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        var closed = false
        defer { if !closed { _ = close(descriptor) } }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = try bytes.withUnsafeBytes { buffer in
                try SystemCall.run("write(\(temporary))") {
                    Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, bytes.count - written)
                }
            }
            written += count
        }
        try SystemCall.run("fsync(\(temporary))") { fsync(descriptor) }
        closed = true
        try SystemCall.run("close(\(temporary))") { close(descriptor) }
        try SystemCall.run("rename(\(temporary), \(path))") { rename(temporary, path) }
    }

    /// Removes the pidfile at `path`; a missing file is not an error.
    ///
    /// - Parameter path: the pidfile.
    /// - Throws: ``SystemCallError`` for any failure other than `ENOENT`.
    static func remove(at path: String) throws {
        do {
            try SystemCall.run("unlink(\(path))") { unlink(path) }
        } catch {
            // Not `catch ... where`: that form crashes Swift 6.3's SIL optimizer with typed throws.
            if error.code == ENOENT { return }
            throw error
        }
    }
}
