import Foundation
import SystemCalls

/// What a path names, as path resolution sees it (`lstat`, or a planned world's view of it).
public enum FileNode: Equatable, Sendable {
    case missing
    case file
    case directory
    /// A symbolic link and its target, as `readlink` returns it.
    case symlink(String)
    /// A FIFO, socket or device: never read, written or removed by a script.
    case special
}

/// A script-supplied path resolved once, canonically: every `.`, doubled or trailing slash and
/// symbolic link removed, so every decision (confinement, protection, what the operation acts on)
/// is taken on the one path the operation will use.
public struct ResolvedPath: Equatable, Sendable {
    /// The canonical absolute path, at or below the root.
    public let absolute: String
    /// The canonical path relative to the root; empty for the root itself.
    public let relative: String
    /// What is there now (never `.symlink`: links are followed).
    public let node: FileNode

    public init(absolute: String, relative: String, node: FileNode) {
        self.absolute = absolute
        self.relative = relative
        self.node = node
    }
}

/// Path resolution and the rules shared by both file areas.
public enum FilePaths {
    /// Prefix of the temporary files atomic writes go through.
    public static let temporaryPrefix = ".phasekit-write-"
    /// Prefix of every file phasekit itself keeps among a server's files (temporary writes, pool locks).
    public static let ownPrefix = ".phasekit-"
    /// How many symbolic links one resolution may follow (Linux's `MAXSYMLINKS`).
    public static let maximumLinks = 40

    /// Resolves a script-supplied path below `root` (canonical, absolute).
    ///
    /// Empty paths, NUL bytes, absolute paths and `..` components are refused whatever they would
    /// lead to. Symbolic links are followed (their targets may use `..`) as `lookup` describes
    /// them; a link that leads outside the root, a broken link, a link loop, or a component below
    /// a file are refused.
    ///
    /// - Parameters:
    ///   - path: the script's path.
    ///   - root: the area's canonical root.
    ///   - lookup: what an absolute path names (the real file system, or a planned view of it); what
    ///     it throws (a host that cannot be asked) fails the resolution.
    public static func resolve(_ path: String, root: String, lookup: (String) throws -> FileNode) throws -> ResolvedPath {
        guard !path.isEmpty else { throw FileAreaError("empty path") }
        guard !path.utf8.contains(0) else { throw FileAreaError("path contains a NUL byte") }
        guard !path.hasPrefix("/") else { throw FileAreaError("'\(path)': absolute paths are refused; use a path relative to the server root") }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.contains("..") else { throw FileAreaError("'\(path)': '..' is refused") }
        var links = 0
        let (absolute, node) = try walk(components, from: root, path: path, lookup: lookup, links: &links)
        guard absolute == root || absolute.hasPrefix(root + "/") else {
            throw FileAreaError("'\(path)': leads outside the server root through a symbolic link")
        }
        return ResolvedPath(absolute: absolute, relative: absolute == root ? "" : String(absolute.dropFirst(root.count + 1)), node: node)
    }

    /// Walks `components` from the directory `start`, following links; returns where it ends and what is there.
    private static func walk(_ components: [Substring], from start: String, path: String,
                             lookup: (String) throws -> FileNode, links: inout Int) throws -> (String, FileNode) {
        var current = start
        var node = FileNode.directory
        for component in components where !component.isEmpty && component != "." {
            switch node {
            case .directory: break
            case .missing:
                // Below a missing directory everything is missing ('..' there only comes from a link, which is then broken).
                guard component != ".." else { throw FileAreaError("'\(path)': goes through a broken symbolic link") }
                current += "/" + component
                continue
            default:
                throw FileAreaError("'\(path)': a component is a file, not a directory")
            }
            if component == ".." {
                current = parent(of: current)
                continue
            }
            let next = current == "/" ? "/" + component : current + "/" + component
            let found = try lookup(next)
            guard case .symlink(let target) = found else {
                current = next
                node = found
                continue
            }
            links += 1
            guard links <= maximumLinks else { throw FileAreaError("'\(path)': too many symbolic links (a loop?)") }
            let (resolved, resolvedNode) = try walk(target.split(separator: "/", omittingEmptySubsequences: true),
                                                    from: target.hasPrefix("/") ? "/" : current, path: path, lookup: lookup, links: &links)
            guard resolvedNode != .missing else { throw FileAreaError("'\(path)': goes through a broken symbolic link") }
            current = resolved
            node = resolvedNode
        }
        return (current, node)
    }

    /// The directory holding `path`: `/` for a name right below it, `""` for a relative name without a slash.
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// What `absolute` names on disk (`lstat`; links are not followed).
    ///
    /// - Throws: ``FileAreaError`` when the path cannot be examined (permission, I/O): only a name
    ///   that is not there (`ENOENT`, `ENOTDIR`) is missing.
    public static func realNode(_ absolute: String) throws -> FileNode {
        var info = stat()
        do {
            try SystemCall.run("lstat", absolute) { lstat(absolute, &info) }
        } catch where error.code == ENOENT || error.code == ENOTDIR {
            return .missing
        } catch {
            throw FileAreaError("'\(absolute)': cannot be examined (\(error.reason))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        case S_IFLNK:
            do {
                return .symlink(try FileManager.default.destinationOfSymbolicLink(atPath: absolute))
            } catch {
                throw FileAreaError("'\(absolute)': the symbolic link cannot be read (\(error.localizedDescription))")
            }
        default: return .special
        }
    }

    /// What `absolute` names and, for a regular file, how many names (hard links) it has: one
    /// `lstat` where ``realNode(_:)`` and ``linkCount(_:)`` take two.
    public static func realNodeAndLinks(_ absolute: String) throws -> (FileNode, Int?) {
        var info = stat()
        do {
            try SystemCall.run("lstat", absolute) { lstat(absolute, &info) }
        } catch where error.code == ENOENT || error.code == ENOTDIR {
            return (.missing, nil)
        } catch {
            throw FileAreaError("'\(absolute)': cannot be examined (\(error.reason))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return (.file, Int(info.st_nlink))
        case S_IFDIR: return (.directory, nil)
        default: return (try realNode(absolute), nil)
        }
    }

    /// How many names (hard links) the file at `absolute` has; 1 when it cannot be told.
    public static func linkCount(_ absolute: String) -> Int {
        var info = stat()
        guard stat(absolute, &info) == 0 else { return 1 }
        return Int(info.st_nlink)
    }

    /// Refuses a change (write, remove, copy onto) of a resolved path, the same way in every mode:
    /// phasekit's own files and directories, anything below them, the files phasekit keeps among a
    /// server's files (`.phasekit-*`), directories (the root included), special files, and regular
    /// files with more than one hard link (another name of the file could be phasekit's own).
    ///
    /// - Parameters:
    ///   - resolved: the resolved path.
    ///   - path: the script's path, for messages.
    ///   - protected: canonical paths relative to the root (``ProtectedFiles``).
    ///   - links: how many hard links the existing file has (1 for a file written in this run).
    public static func checkChange(_ resolved: ResolvedPath, path: String, protected: [String], links: Int) throws {
        for entry in protected where resolved.relative == entry || resolved.relative.hasPrefix(entry + "/") {
            throw FileAreaError("'\(path)': phasekit's own file (\(entry)) cannot be changed by a script")
        }
        if resolved.relative.split(separator: "/").contains(where: { $0.hasPrefix(ownPrefix) }) {
            throw FileAreaError("'\(path)': phasekit's own file (\(ownPrefix)*) cannot be changed by a script")
        }
        switch resolved.node {
        case .directory: throw FileAreaError("'\(path)': is a directory")
        case .special, .symlink: throw FileAreaError("'\(path)': not a regular file")
        case .file where links > 1:
            throw FileAreaError("'\(path)': has \(links) hard links; a file with several names cannot be changed by a script")
        case .file, .missing: break
        }
    }

    /// An absolute path made canonical as far as it exists (links followed, `.`, `..` and doubled
    /// slashes removed), the rest kept as written; for phasekit's own paths, which may not exist yet.
    public static func canonicalAbsolute(_ path: String) -> String {
        var links = 0
        let components = URL(fileURLWithPath: path).standardizedFileURL.path.split(separator: "/", omittingEmptySubsequences: true)
        // A path that cannot be walked (a loop, a component that cannot be examined) is kept as
        // written: phasekit's own paths are compared with it, and using one fails later, loudly.
        return (try? walk(components, from: "/", path: path, lookup: realNode, links: &links).0)
            ?? URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The path of an existing file with every symbolic link, `.` and `..` resolved (`realpath`);
    /// `nil` when the path does not exist (a dangling link included).
    public static func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
