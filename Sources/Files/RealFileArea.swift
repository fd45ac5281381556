import Foundation
import SystemCalls

/// The real files of a server.
public final class RealFileArea: FileArea {
    public let root: String
    /// Canonical paths below the root that scripts may read but never change.
    public let protected: [String]

    /// - Parameters:
    ///   - create: whether to create the root when missing (never in analysis).
    ///   - protected: canonical relative paths scripts may not write, remove or copy onto.
    public init(root: String, create: Bool = true, protected: [String] = []) throws {
        if create { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) }
        self.root = FilePaths.canonical(root) ?? FilePaths.canonicalAbsolute(root)
        self.protected = protected
    }

    /// Resolves a path on disk as it is now.
    public func resolve(_ path: String) throws -> ResolvedPath {
        try FilePaths.resolve(path, root: root, lookup: FilePaths.realNode)
    }

    /// Resolves a path a script wants to change and applies the change rules.
    public func resolveForChange(_ path: String) throws -> ResolvedPath {
        let resolved = try resolve(path)
        try FilePaths.checkChange(resolved, path: path, protected: protected,
                                  links: resolved.node == .file ? FilePaths.linkCount(resolved.absolute) : 1)
        return resolved
    }

    public var retainedBytes: Int { 0 }

    public func read(_ path: String, maximumBytes: Int) throws -> [UInt8] {
        try Self.read(try resolve(path), path: path, maximumBytes: maximumBytes)
    }

    /// The bytes of a resolved regular file; its size is checked against `maximumBytes` before
    /// anything is allocated (a file that grows meanwhile is read only up to its size then).
    public static func read(_ resolved: ResolvedPath, path: String, maximumBytes: Int) throws -> [UInt8] {
        switch resolved.node {
        case .missing: throw FileAreaError("'\(path)': no such file")
        case .directory: throw FileAreaError("'\(path)': is a directory")
        case .special, .symlink: throw FileAreaError("'\(path)': not a regular file")
        case .file: break
        }
        let descriptor: Int32
        do {
            descriptor = try SystemCall.run("open", resolved.absolute) { open(resolved.absolute, O_RDONLY | O_CLOEXEC) }
        } catch {
            throw FileAreaError("'\(path)': cannot be read (\(error.reason))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw FileAreaError("'\(path)': not a regular file")
        }
        let size = Int(status.st_size)
        guard size <= maximumBytes else { throw FileTooLarge(path: path, size: size) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count: Int
            do {
                count = try SystemCall.run("read", resolved.absolute) {
                    bytes.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress.map { $0 + filled }, size - filled) }
                }
            } catch {
                throw FileAreaError("'\(path)': cannot read (\(error.reason))")
            }
            if count == 0 { break }
            filled += count
        }
        if filled < size { bytes.removeSubrange(filled...) }
        return bytes
    }

    public func exists(_ path: String) throws -> Bool {
        try resolve(path).node != .missing
    }

    public func list(_ path: String) throws -> [String] {
        try Self.entries(of: try resolve(path), path: path)
    }

    /// The entries of a resolved directory, without phasekit's temporary files.
    public static func entries(of resolved: ResolvedPath, path: String) throws -> [String] {
        guard resolved.node == .directory else { throw FileAreaError("'\(path)': not a directory") }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: resolved.absolute)
        } catch {
            throw FileAreaError("'\(path)': cannot be listed (\(error.localizedDescription))")
        }
        return names.filter { !$0.hasPrefix(FilePaths.temporaryPrefix) }.sorted()
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws {
        let resolved = try resolveForChange(path)
        let parent = FilePaths.parent(of: resolved.absolute)
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        // A link swapped in meanwhile (by anything else) changes the resolution: refuse rather than follow it.
        guard try resolveForChange(path).absolute == resolved.absolute else {
            throw FileAreaError("'\(path)': changed while being written (a symbolic link appeared)")
        }
        // Our own temporary name, so a write cut off by a crash leaves a file the next execution
        // recognizes and sweeps (see CrashCleanup), never a half-written target. The rename
        // replaces the name, never the content of an existing file.
        let temporary = parent + "/" + FilePaths.temporaryPrefix + UUID().uuidString + ".tmp"
        let descriptor: Int32
        do {
            descriptor = try SystemCall.run("open", temporary) { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644) }
        } catch {
            throw FileAreaError("'\(path)': cannot write (\(error.reason))")
        }
        do throws(SystemCallError) {
            defer { close(descriptor) }
            try SystemCall.writeAll(descriptor, bytes, temporary)
            try SystemCall.run("fsync", temporary) { fsync(descriptor) }
        } catch {
            unlink(temporary)
            throw FileAreaError("'\(path)': cannot write (\(error.reason))")
        }
        do {
            try SystemCall.run("rename", temporary) { rename(temporary, resolved.absolute) }
        } catch {
            unlink(temporary)
            throw FileAreaError("'\(path)': cannot write (\(error.reason))")
        }
    }

    public func remove(_ path: String) throws {
        let resolved = try resolveForChange(path)
        guard resolved.node == .file else { return }
        do {
            try SystemCall.run("unlink", resolved.absolute) { unlink(resolved.absolute) }
        } catch where error.code == ENOENT {
            // Gone already: what the removal wanted.
        } catch {
            throw FileAreaError("'\(path)': cannot remove (\(error.reason))")
        }
    }
}
