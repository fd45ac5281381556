import Files
import Foundation

/// The file changes one run has planned, shared by every server's planned area: server roots may
/// nest (a site's root holds its servers' roots), so a change planned through one is seen by all.
public final class PlannedFiles {
    /// Planned content by canonical absolute path; `nil` content is a planned removal.
    private(set) var overlay: [String: [UInt8]?] = [:]
    /// Bytes of planned content held, counted against the run's memory limit.
    public private(set) var retainedBytes = 0
    /// Directories planned writes create (canonical absolute paths).
    var directories: Set<String> = []

    public init() {}

    /// Plans `content` (nil: a removal) for a canonical absolute path.
    func set(_ absolute: String, _ content: [UInt8]?) {
        retainedBytes += (content?.count ?? 0) - ((overlay[absolute] ?? nil)?.count ?? 0)
        overlay[absolute] = .some(content)
    }

    /// What an absolute (canonical) path names in the planned state; `real` tells what it names now.
    func node(_ absolute: String, real: (String) throws -> FileNode) rethrows -> FileNode {
        if directories.contains(absolute) { return .directory }
        switch overlay[absolute] {
        case .some(.some): return .file
        case .some(.none): return .missing
        case .none: return try real(absolute)
        }
    }
}
