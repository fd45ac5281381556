import Foundation

/// What the files a cached document was computed from looked like: for each path its inode, size
/// and modification time (or that it was missing). Two equal stamps mean nothing was rewritten.
struct FileStamps: Equatable, Sendable {
    /// One file's stamp; all zero for a missing file.
    struct Stamp: Equatable, Sendable {
        var inode: UInt64 = 0
        var size: Int64 = 0
        var modifiedSeconds: Int = 0
        var modifiedNanoseconds: Int = 0
    }

    var stamps: [String: Stamp] = [:]

    /// Stamps `paths` now.
    init(_ paths: [String]) {
        for path in paths { stamps[path] = Self.stamp(path) }
    }

    /// One file's stamp (all zero when it cannot be stat'ed: then it is missing or unreadable,
    /// and a change to either is seen as soon as it is back).
    static func stamp(_ path: String) -> Stamp {
        var status = stat()
        guard stat(path, &status) == 0 else { return Stamp() }
        return Stamp(inode: UInt64(status.st_ino), size: Int64(status.st_size),
                     modifiedSeconds: Int(status.st_mtim.tv_sec), modifiedNanoseconds: Int(status.st_mtim.tv_nsec))
    }
}
