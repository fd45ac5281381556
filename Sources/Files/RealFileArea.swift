import Foundation
import SystemCalls

/// The real files of a server.
public final class RealFileArea: FileArea {
    public let root: String
    /// Canonical paths below the root that scripts may read but never change.
    public let protected: [String]
    /// Whether writes and removals are made durable together by ``syncWrites()`` instead of each
    /// by itself (an agent's area: its controller asks for the sync before it records the row
    /// finished). A write is still atomic for every reader: temporary file, then rename.
    public var defersSync = false
    /// Files written and directories changed since the last ``syncWrites()`` (with ``defersSync``).
    private var unsyncedFiles: Set<String> = []
    private var unsyncedDirectories: Set<String> = []
    /// Temporary names: one random stem per area, then a count (`O_EXCL` refuses any clash).
    private let temporaryStem = UUID().uuidString
    private var temporaries = 0

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
        // The directories it needs are made first (most writes need none: one lstat says so).
        if try FilePaths.realNode(parent) != .directory {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            // A link swapped in meanwhile (by anything else) changes the resolution: refuse rather than follow it.
            guard try resolveForChange(path).absolute == resolved.absolute else {
                throw FileAreaError("'\(path)': changed while being written (a symbolic link appeared)")
            }
        }
        // Our own temporary name, so a write cut off by a crash leaves a file the next execution
        // recognizes and sweeps (see CrashCleanup), never a half-written target. The rename
        // replaces the name, never the content of an existing file.
        temporaries += 1
        let temporary = parent + "/" + FilePaths.temporaryPrefix + temporaryStem + "-" + String(temporaries) + ".tmp"
        let descriptor: Int32
        do {
            descriptor = try SystemCall.run("open", temporary) { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644) }
        } catch {
            throw FileAreaError("'\(path)': cannot write (\(error.reason))")
        }
        do throws(SystemCallError) {
            defer { close(descriptor) }
            try SystemCall.writeAll(descriptor, bytes, temporary)
            if !defersSync { try SystemCall.run("fsync", temporary) { fsync(descriptor) } }
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
        if defersSync {
            unsyncedFiles.insert(resolved.absolute)
            noteChangedDirectories(of: resolved.absolute)
        }
    }

    /// Notes the directories a write or removal of `absolute` changed: its parent, and every
    /// directory up to the root (a write may have created some of them).
    private func noteChangedDirectories(of absolute: String) {
        var directory = FilePaths.parent(of: absolute)
        while directory.hasPrefix(root), unsyncedDirectories.insert(directory).inserted, directory != root {
            directory = FilePaths.parent(of: directory)
        }
    }

    /// Makes every write and removal since the last call durable: each file written is
    /// `fsync`ed, then each directory changed (with the journal of most file systems the first
    /// `fsync` commits them all, so this costs about one commit instead of one per file).
    /// Nothing to do without ``defersSync``.
    ///
    /// - Throws: ``FileAreaError`` naming the path when one cannot be synced; what was not synced
    ///   stays noted, and a later call tries again.
    public func syncWrites() throws {
        for file in unsyncedFiles.sorted() {
            try Self.sync(file, flags: O_RDONLY | O_CLOEXEC | O_NOFOLLOW, missingIsDone: true)
            unsyncedFiles.remove(file)
        }
        // Deepest first, so a directory is synced after the entries it holds.
        for directory in unsyncedDirectories.sorted(by: { $0.count > $1.count }) {
            try Self.sync(directory, flags: O_RDONLY | O_CLOEXEC | O_DIRECTORY, missingIsDone: true)
            unsyncedDirectories.remove(directory)
        }
    }

    /// `fsync`s one path; one that is gone (removed or replaced since) has nothing left to sync.
    private static func sync(_ path: String, flags: Int32, missingIsDone: Bool) throws {
        let descriptor: Int32
        do {
            descriptor = try SystemCall.run("open", path) { open(path, flags) }
        } catch where missingIsDone && (error.code == ENOENT || error.code == ELOOP) {
            return
        } catch {
            throw FileAreaError("'\(path)': cannot make the writes durable (\(error.reason))")
        }
        defer { close(descriptor) }
        do {
            try SystemCall.run("fsync", path) { fsync(descriptor) }
        } catch {
            throw FileAreaError("'\(path)': cannot make the writes durable (\(error.reason))")
        }
    }

    public func remove(_ path: String) throws {
        let resolved = try resolveForChange(path)
        guard resolved.node == .file else { return }
        do {
            try SystemCall.run("unlink", resolved.absolute) { unlink(resolved.absolute) }
            if defersSync { noteChangedDirectories(of: resolved.absolute) }
        } catch where error.code == ENOENT {
            // Gone already: what the removal wanted.
        } catch {
            throw FileAreaError("'\(path)': cannot remove (\(error.reason))")
        }
    }
}
