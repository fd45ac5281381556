import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file or directory with exactly one owner, closed in `deinit`.
///
/// Every operation goes through ``SystemCall`` and throws ``SystemCallError``.
final class FileDescriptor {
    /// The raw descriptor; valid for the object's lifetime.
    let raw: Int32
    /// The path it was opened with, for errors.
    let path: String

    /// Opens `path` with `open(2)`.
    ///
    /// - Parameters:
    ///   - path: the file or directory.
    ///   - flags: `open(2)` flags; `O_CLOEXEC` is always added.
    ///   - mode: permissions for a file `O_CREAT` makes.
    /// - Throws: ``SystemCallError``.
    init(path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemCallError) {
        self.raw = try SystemCall.run("open", path) { open(path, flags | O_CLOEXEC, mode) }
        self.path = path
    }

    /// Opens a directory read-only, to `fsync` it or to list it.
    ///
    /// - Parameter path: the directory.
    /// - Throws: ``SystemCallError``.
    static func directory(_ path: String) throws(SystemCallError) -> FileDescriptor {
        try FileDescriptor(path: path, flags: O_RDONLY | O_DIRECTORY)
    }

    deinit {
        // A close failure after fsync cannot lose acknowledged data, and deinit cannot throw.
        _ = close(raw)
    }

    /// Flushes the file's data and metadata to stable storage.
    func sync() throws(SystemCallError) {
        try SystemCall.run("fsync", path) { fsync(raw) }
    }

    /// Sets the file's length; growing it leaves a hole, so no block is written.
    func truncate(to length: Int64) throws(SystemCallError) {
        try SystemCall.run("ftruncate", path) { ftruncate(raw, off_t(length)) }
    }

    /// Writes all of `bytes`, looping over short writes.
    func writeAll(_ bytes: [UInt8]) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let written = try SystemCall.run("write", path) {
                bytes.withUnsafeBytes { buffer in write(raw, buffer.baseAddress.map { $0 + offset }, buffer.count - offset) }
            }
            offset += written
        }
    }

    /// Reads the file from its current offset to its end.
    func readAll() throws(SystemCallError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = try SystemCall.run("read", path) {
                chunk.withUnsafeMutableBytes { buffer in read(raw, buffer.baseAddress, buffer.count) }
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Tries to take an `flock(2)` lock without blocking.
    ///
    /// - Parameter operation: `LOCK_EX` or `LOCK_SH`.
    /// - Returns: `false` when another open file description holds a conflicting lock.
    /// - Throws: ``SystemCallError`` for any other failure.
    func tryLock(_ operation: Int32) throws(SystemCallError) -> Bool {
        do {
            try SystemCall.run("flock", path) { flock(raw, operation | LOCK_NB) }
            return true
        } catch where error.code == EWOULDBLOCK {
            return false
        }
    }
}
