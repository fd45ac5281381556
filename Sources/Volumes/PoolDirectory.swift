import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a directory pool, changed only by atomic, durable steps.
///
/// Every replacement writes a temporary file, `fsync`s it, renames it over the target
/// and `fsync`s the directory, so after a crash a file has either its old or its new
/// content. Temporary files start with `.`, which no volume name may, so they never
/// collide with volume files.
struct PoolDirectory: Sendable {
    /// The directory's path, without a trailing `/`.
    let path: String

    /// The path of `name` inside the directory.
    func path(of name: String) -> String { path + "/" + name }

    /// The temporary name a replacement of `name` is written under before its rename.
    static func temporaryName(for name: String) -> String { "." + name + ".tmp" }

    /// Makes the directory if it is missing, durably.
    func createIfMissing() throws(SystemCallError) {
        do {
            try SystemCall.run("mkdir", path) { mkdir(path, 0o755) }
        } catch where error.code == EEXIST {
            return
        }
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        try FileDescriptor.directory(parent.isEmpty ? "/" : parent).sync()
    }

    /// Whether `name` exists in the directory.
    func contains(_ name: String) throws(SystemCallError) -> Bool {
        let full = path(of: name)
        var info = stat()
        do {
            try SystemCall.run("stat", full) { stat(full, &info) }
            return true
        } catch where error.code == ENOENT {
            return false
        }
    }

    /// The whole content of `name`, or `nil` when it does not exist.
    func read(_ name: String) throws(SystemCallError) -> [UInt8]? {
        let file: FileDescriptor
        do {
            file = try FileDescriptor(path: path(of: name), flags: O_RDONLY)
        } catch where error.code == ENOENT {
            return nil
        }
        return try file.readAll()
    }

    /// Replaces (or creates) `name` with `bytes`, atomically and durably.
    func write(_ name: String, _ bytes: [UInt8]) throws(SystemCallError) {
        try replace(name) { file throws(SystemCallError) in try file.writeAll(bytes) }
    }

    /// Replaces (or creates) `name` with a sparse file of `length` bytes, atomically and durably.
    func writeSparse(_ name: String, length: Int64) throws(SystemCallError) {
        try replace(name) { file throws(SystemCallError) in try file.truncate(to: length) }
    }

    /// Changes the length of the existing file `name` in place and flushes it.
    func truncate(_ name: String, to length: Int64) throws(SystemCallError) {
        let file = try FileDescriptor(path: path(of: name), flags: O_WRONLY)
        try file.truncate(to: length)
        try file.sync()
    }

    /// Removes `name` durably; a missing file is not an error.
    func remove(_ name: String) throws(SystemCallError) {
        let full = path(of: name)
        do {
            try SystemCall.run("unlink", full) { unlink(full) }
        } catch where error.code == ENOENT {
            return
        }
        try sync()
    }

    /// The names of the directory's entries, without `.` and `..`, unsorted.
    func entries() throws(SystemCallError) -> [String] {
        let directory = try SystemCall.run("opendir", path) { opendir(path) }
        defer { closedir(directory) }  // Fails only for an invalid stream, which this one is not.
        var names: [String] = []
        while let entry = try SystemCall.runUntilEnd("readdir", path, { readdir(directory) }) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: pointer.pointee)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Flushes the directory itself, making renames and unlinks in it durable.
    func sync() throws(SystemCallError) {
        try FileDescriptor.directory(path).sync()
    }

    /// Writes a temporary file with `fill`, flushes it, renames it over `name`, flushes the directory.
    private func replace(_ name: String, fill: (FileDescriptor) throws(SystemCallError) -> Void) throws(SystemCallError) {
        let temporary = path(of: Self.temporaryName(for: name))
        do {
            let file = try FileDescriptor(path: temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
            try fill(file)
            try file.sync()
            let target = path(of: name)
            try SystemCall.run("rename", temporary) { rename(temporary, target) }
        } catch {
            _ = unlink(temporary)  // Best effort: a leftover temporary is ignored and overwritten later.
            throw error
        }
        try sync()
    }
}
