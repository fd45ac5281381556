import Foundation

/// A server's files as a run plans them: reads see planned writes and removals, and nothing is
/// written to disk. The real area is only read.
///
/// Paths resolve exactly as in ``RealFileArea``, through the same resolver, but against the planned
/// state: a directory a planned write creates exists, a file a planned removal removes does not
/// (so a link to it is broken), and the same changes are refused for the same reasons.
public final class PlannedFileArea: FileArea {
    private let base: RealFileArea
    /// Planned content by canonical relative path; `nil` content is a planned removal.
    private var overlay: [String: [UInt8]?] = [:]
    /// Directories planned writes create (canonical relative paths).
    private var plannedDirectories: Set<String> = []
    public var root: String { base.root }

    public init(base: RealFileArea) {
        self.base = base
    }

    /// What an absolute path names in the planned state.
    private func node(_ absolute: String) -> FileNode {
        guard absolute.hasPrefix(root + "/") else { return FilePaths.realNode(absolute) }
        let relative = String(absolute.dropFirst(root.count + 1))
        if plannedDirectories.contains(relative) { return .directory }
        switch overlay[relative] {
        case .some(.some): return .file
        case .some(.none): return .missing
        case .none: return FilePaths.realNode(absolute)
        }
    }

    private func resolve(_ path: String) throws -> ResolvedPath {
        try FilePaths.resolve(path, root: root, lookup: node)
    }

    /// Resolves a path a script wants to change and applies the same rules as execution.
    private func resolveForChange(_ path: String) throws -> ResolvedPath {
        let resolved = try resolve(path)
        // A file written in this run is a new file (a rename) with one name, as in execution.
        let planned = overlay[resolved.relative] != nil
        try FilePaths.checkChange(resolved, path: path, protected: base.protected,
                                  links: resolved.node == .file && !planned ? FilePaths.linkCount(resolved.absolute) : 1)
        return resolved
    }

    public func read(_ path: String) throws -> [UInt8] {
        let resolved = try resolve(path)
        if resolved.node == .file, case .some(.some(let bytes)) = overlay[resolved.relative] { return bytes }
        return try RealFileArea.read(resolved, path: path)
    }

    public func exists(_ path: String) throws -> Bool {
        try resolve(path).node != .missing
    }

    public func list(_ path: String) throws -> [String] {
        let resolved = try resolve(path)
        guard resolved.node == .directory else { throw PhaseKitError.binding("'\(path)': not a directory") }
        var names = Set(FilePaths.realNode(resolved.absolute) == .directory ? (try? RealFileArea.entries(of: resolved, path: path)) ?? [] : [])
        let prefix = resolved.relative.isEmpty ? "" : resolved.relative + "/"
        for (entry, content) in overlay where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let first = rest.split(separator: "/").first else { continue }
            if content == nil, !rest.contains("/") { names.remove(String(first)) } else if content != nil { names.insert(String(first)) }
        }
        for directory in plannedDirectories where directory.hasPrefix(prefix) {
            if let first = directory.dropFirst(prefix.count).split(separator: "/").first { names.insert(String(first)) }
        }
        return names.sorted()
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws {
        let resolved = try resolveForChange(path)
        overlay[resolved.relative] = .some(bytes)
        var parent = FilePaths.parent(of: resolved.relative)
        while !parent.isEmpty, node(root + "/" + parent) != .directory {
            plannedDirectories.insert(parent)
            parent = FilePaths.parent(of: parent)
        }
    }

    public func remove(_ path: String) throws {
        let resolved = try resolveForChange(path)
        if resolved.node == .file { overlay[resolved.relative] = .some(nil) }
    }
}
