import Foundation

/// The files one server's scripts may touch: everything below its root, nothing outside.
///
/// Paths are relative to the root. Absolute paths, `..` components, NUL bytes and symbolic links
/// that lead outside the root are refused in every mode, before anything is read or written.
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

/// Path confinement shared by both file areas.
enum FilePaths {
    /// Prefix of the temporary files atomic writes go through.
    static let temporaryPrefix = ".phasekit-write-"

    /// Refuses writes to phasekit's own files (`state/`, `site.yaml`, `scripts/`, the database)
    /// when a server's root is the site directory.
    static func checkWritable(_ path: String, root: String, protected: [String]) throws {
        let relative = String(try confine(path, root: root).dropFirst(root.count + 1))
        for entry in protected where relative == entry || relative.hasPrefix(entry + "/") {
            throw PhaseKitError.binding("'\(path)': phasekit's own file (\(entry)) cannot be changed by a script")
        }
    }

    /// Checks a script-supplied path and returns it absolute below `root`.
    static func confine(_ path: String, root: String) throws -> String {
        guard !path.isEmpty else { throw PhaseKitError.binding("empty path") }
        guard !path.contains("\u{0}") else { throw PhaseKitError.binding("path contains a NUL byte") }
        guard !path.hasPrefix("/") else { throw PhaseKitError.binding("'\(path)': absolute paths are refused; use a path relative to the server root") }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.contains("..") else { throw PhaseKitError.binding("'\(path)': '..' is refused") }
        let joined = root + "/" + components.joined(separator: "/")
        // Resolve the deepest existing ancestor (or the file itself) and require it below root.
        var probe = joined
        var resolved = canonical(probe)
        while resolved == nil && probe.count > root.count {
            probe = (probe as NSString).deletingLastPathComponent
            resolved = canonical(probe)
        }
        let target = resolved ?? probe
        guard target == root || target.hasPrefix(root + "/") else {
            throw PhaseKitError.binding("'\(path)': leads outside the server root through a symbolic link")
        }
        return joined
    }

    /// The path of an existing file with every symbolic link, `.` and `..` resolved (`realpath`:
    /// one call, where Foundation's `resolvingSymlinksInPath` walks the path in Swift); `nil` when
    /// the path does not exist (a dangling link included).
    static func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// The real files of a server.
public final class RealFileArea: FileArea {
    public let root: String
    /// Paths below the root that scripts may read but never change.
    public let protected: [String]

    /// - Parameters:
    ///   - create: whether to create the root when missing (never in analysis).
    ///   - protected: relative paths scripts may not write, remove or copy onto.
    public init(root: String, create: Bool = true, protected: [String] = []) throws {
        if create { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) }
        self.root = FilePaths.canonical(root) ?? URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        self.protected = protected
    }

    public var retainedBytes: Int { 0 }

    public func read(_ path: String, maximumBytes: Int) throws -> [UInt8] {
        let full = try FilePaths.confine(path, root: root)
        let descriptor = open(full, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PhaseKitError.binding("'\(path)': no such file") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw PhaseKitError.binding("'\(path)': not a regular file")
        }
        // The size is checked before anything is allocated; a file that grows meanwhile is read
        // only up to the limit.
        let size = Int(status.st_size)
        guard size <= maximumBytes else { throw FileTooLarge(path: path, size: size) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress.map { $0 + filled }, size - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw PhaseKitError.binding("'\(path)': cannot read (\(String(cString: strerror(errno))))")
            }
            if count == 0 { break }
            filled += count
        }
        if filled < size { bytes.removeSubrange(filled...) }
        return bytes
    }

    public func exists(_ path: String) throws -> Bool {
        FileManager.default.fileExists(atPath: try FilePaths.confine(path, root: root))
    }

    public func list(_ path: String) throws -> [String] {
        let full = path == "." ? root : try FilePaths.confine(path, root: root)
        do {
            return try FileManager.default.contentsOfDirectory(atPath: full).filter { !$0.hasPrefix(FilePaths.temporaryPrefix) }.sorted()
        } catch {
            throw PhaseKitError.binding("'\(path)': not a directory")
        }
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws {
        try FilePaths.checkWritable(path, root: root, protected: protected)
        let full = try FilePaths.confine(path, root: root)
        let parent = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        _ = try FilePaths.confine(path, root: root)   // the parent may have been a link created meanwhile
        // Our own temporary name, so a write cut off by a crash leaves a file the next execution
        // recognizes and sweeps (see CrashCleanup), never a half-written target.
        let temporary = parent + "/" + FilePaths.temporaryPrefix + UUID().uuidString + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PhaseKitError.binding("'\(path)': cannot write (\(String(cString: strerror(errno))))") }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0 { if errno == EINTR { continue }; return false }
                written += count
            }
            return fsync(descriptor) == 0
        }
        close(descriptor)
        guard ok, rename(temporary, full) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PhaseKitError.binding("'\(path)': cannot write (\(reason))")
        }
    }

    public func remove(_ path: String) throws {
        try FilePaths.checkWritable(path, root: root, protected: protected)
        let full = try FilePaths.confine(path, root: root)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { return }
        guard !isDirectory.boolValue else { throw PhaseKitError.binding("'\(path)': is a directory") }
        try FileManager.default.removeItem(atPath: full)
    }
}

/// A server's files as a run plans them: reads see planned writes and removals, and nothing is
/// written to disk. The real area is only read.
public final class PlannedFileArea: FileArea {
    private let base: RealFileArea
    private var overlay: [String: [UInt8]?] = [:]
    public var root: String { base.root }

    public init(base: RealFileArea) {
        self.base = base
    }

    private func key(_ path: String) throws -> String {
        String(try FilePaths.confine(path, root: root).dropFirst(root.count + 1))
    }

    public private(set) var retainedBytes = 0

    public func read(_ path: String, maximumBytes: Int) throws -> [UInt8] {
        switch overlay[try key(path)] {
        case .some(.some(let bytes)):
            guard bytes.count <= maximumBytes else { throw FileTooLarge(path: path, size: bytes.count) }
            return bytes
        case .some(.none): throw PhaseKitError.binding("'\(path)': no such file (removed earlier in this run)")
        case .none: return try base.read(path, maximumBytes: maximumBytes)
        }
    }

    public func exists(_ path: String) throws -> Bool {
        switch overlay[try key(path)] {
        case .some(.some): true
        case .some(.none): false
        case .none: try base.exists(path)
        }
    }

    public func list(_ path: String) throws -> [String] {
        let prefix = path == "." ? "" : try key(path) + "/"
        var names = Set((try? base.list(path)) ?? [])
        for (entry, content) in overlay where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let first = rest.split(separator: "/").first else { continue }
            if content == nil, !rest.contains("/") { names.remove(String(first)) } else if content != nil { names.insert(String(first)) }
        }
        return names.sorted()
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws {
        try FilePaths.checkWritable(path, root: root, protected: base.protected)
        let entry = try key(path)
        retainedBytes += bytes.count - ((overlay[entry] ?? nil)?.count ?? 0)
        overlay[entry] = .some(bytes)
    }

    public func remove(_ path: String) throws {
        try FilePaths.checkWritable(path, root: root, protected: base.protected)
        let entry = try key(path)
        if try exists(path) {
            retainedBytes -= (overlay[entry] ?? nil)?.count ?? 0
            overlay[entry] = .some(nil)
        }
    }
}
