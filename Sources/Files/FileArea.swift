import Foundation

/// The files one server's scripts may touch: everything below its root, nothing outside.
///
/// Paths are relative to the root. Every path is resolved once, canonically, before anything is
/// decided (``FilePaths/resolve(_:root:lookup:)``): absolute paths, `..` components, NUL bytes,
/// symbolic links that lead outside the root and broken links are refused in every mode, and an
/// operation acts on the canonical path (a link is followed to the file it names). Changes to
/// phasekit's own files are refused the same way in both modes (``FilePaths/checkChange``).
public protocol FileArea: AnyObject {
    /// The root directory (absolute, symlinks resolved).
    var root: String { get }
    /// Reads a whole file; a file larger than `maximumBytes` is refused with ``FileTooLarge``
    /// before its content is read.
    func read(_ path: String, maximumBytes: Int) throws -> [UInt8]
    /// Bytes of planned content the area holds in memory (0 for a real area).
    var retainedBytes: Int { get }
    func exists(_ path: String) throws -> Bool
    /// Names of the entries of a directory, sorted.
    func list(_ path: String) throws -> [String]
    /// Writes a file atomically (temporary file, fsync, rename), creating parent directories.
    func write(_ path: String, _ bytes: [UInt8]) throws
    /// Removes a file; removing a missing file is harmless. Directories are refused.
    func remove(_ path: String) throws
}

/// A file refused because reading it would pass the run's memory limit.
public struct FileTooLarge: Error, CustomStringConvertible {
    public var path: String
    public var size: Int

    public init(path: String, size: Int) {
        self.path = path
        self.size = size
    }

    public var description: String { "'\(path)': \(size) bytes, more than the run's memory limit leaves" }
}

extension FileArea {
    /// Reads a whole file, whatever its size.
    public func read(_ path: String) throws -> [UInt8] { try read(path, maximumBytes: Int.max) }

    /// Copies a file from this area into `destination` (which may be another server's area).
    public func copy(_ path: String, to destination: any FileArea, as target: String, maximumBytes: Int = Int.max) throws {
        try destination.write(target, try read(path, maximumBytes: maximumBytes))
    }
}
