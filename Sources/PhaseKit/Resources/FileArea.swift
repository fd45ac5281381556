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
    func read(_ path: String) throws -> [UInt8]
    func exists(_ path: String) throws -> Bool
    /// Names of the entries of a directory, sorted.
    func list(_ path: String) throws -> [String]
    /// Writes a file atomically (temporary file, fsync, rename), creating parent directories.
    func write(_ path: String, _ bytes: [UInt8]) throws
    /// Removes a file; removing a missing file is harmless. Directories are refused.
    func remove(_ path: String) throws
}

extension FileArea {
    /// Copies a file from this area into `destination` (which may be another server's area).
    public func copy(_ path: String, to destination: any FileArea, as target: String) throws {
        try destination.write(target, try read(path))
    }
}
