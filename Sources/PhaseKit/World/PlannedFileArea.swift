public import Files
import Foundation

/// A server's files as a run plans them: reads see planned writes and removals, and nothing is
/// written to disk. The real area is only read.
///
/// Paths resolve exactly as in ``RealFileArea``, through the same resolver, but against the planned
/// state (``PlannedFiles``): a directory a planned write creates exists, a file a planned removal
/// removes does not (so a link to it is broken), and the same changes are refused for the same reasons.
public final class PlannedFileArea: FileArea {
    private let base: any FileSource
    private let planned: PlannedFiles
    public var root: String { base.root }

    /// - Parameters:
    ///   - base: the real files (on this machine or through a server's agent), only read.
    ///   - planned: the run's planned file changes, shared by the areas of one world.
    public init(base: any FileSource, planned: PlannedFiles = PlannedFiles()) {
        self.base = base
        self.planned = planned
    }

    private func resolve(_ path: String) throws -> ResolvedPath {
        try FilePaths.resolve(path, root: root, lookup: { try self.planned.node($0, real: self.base.node) })
    }

    /// Resolves a path a script wants to change and applies the same rules as execution.
    private func resolveForChange(_ path: String) throws -> ResolvedPath {
        let resolved = try resolve(path)
        // A file written in this run is a new file (a rename) with one name, as in execution.
        let written = planned.overlay[resolved.absolute] != nil
        try FilePaths.checkChange(resolved, path: path, protected: base.protected,
                                  links: resolved.node == .file && !written ? try base.linkCount(resolved.absolute) : 1)
        return resolved
    }

    /// The planned content of the whole run (shared by every server's planned area).
    public var retainedBytes: Int { planned.retainedBytes }

    public func read(_ path: String, maximumBytes: Int) throws -> [UInt8] {
        let resolved = try resolve(path)
        if resolved.node == .file, case .some(.some(let bytes)) = planned.overlay[resolved.absolute] {
            guard bytes.count <= maximumBytes else { throw FileTooLarge(path: path, size: bytes.count) }
            return bytes
        }
        return try base.read(resolved: resolved, path: path, maximumBytes: maximumBytes)
    }

    public func exists(_ path: String) throws -> Bool {
        try resolve(path).node != .missing
    }

    public func list(_ path: String) throws -> [String] {
        let resolved = try resolve(path)
        guard resolved.node == .directory else { throw FileAreaError("'\(path)': not a directory") }
        // A directory only planned has no real entries; a real one that cannot be listed fails the call.
        var names = Set(try base.node(resolved.absolute) == .directory ? try base.entries(resolved: resolved, path: path) : [])
        let prefix = resolved.absolute == "/" ? "/" : resolved.absolute + "/"
        for (entry, content) in planned.overlay where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let first = rest.split(separator: "/").first else { continue }
            if content == nil, !rest.contains("/") { names.remove(String(first)) } else if content != nil { names.insert(String(first)) }
        }
        for directory in planned.directories where directory.hasPrefix(prefix) {
            if let first = directory.dropFirst(prefix.count).split(separator: "/").first { names.insert(String(first)) }
        }
        return names.sorted()
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws {
        let resolved = try resolveForChange(path)
        planned.set(resolved.absolute, bytes)
        var parent = FilePaths.parent(of: resolved.absolute)
        while !parent.isEmpty, parent != "/", try planned.node(parent, real: base.node) != .directory {
            planned.directories.insert(parent)
            parent = FilePaths.parent(of: parent)
        }
    }

    public func remove(_ path: String) throws {
        let resolved = try resolveForChange(path)
        if resolved.node == .file { planned.set(resolved.absolute, nil) }
    }
}
