/// The real files behind a planned area: what it reads to plan against, on this machine
/// (``RealFileArea``) or on a server's host through its agent.
///
/// A planned area resolves every path itself, against its planned changes laid over what
/// ``node(_:)`` reports, so both kinds of source confine paths exactly alike.
public protocol FileSource: FileArea {
    /// Canonical paths below the root that scripts may read but never change.
    var protected: [String] { get }
    /// What a canonical absolute path names now (`lstat`: links are not followed).
    ///
    /// - Throws: when the source cannot tell (a server's host that cannot be asked): never
    ///   answered as ``FileNode/missing``.
    func node(_ absolute: String) throws -> FileNode
    /// How many hard links the file at a canonical absolute path has; 1 when it cannot be told
    /// locally. Throws when the source cannot be asked.
    func linkCount(_ absolute: String) throws -> Int
    /// The bytes of a resolved regular file, refused with ``FileTooLarge`` above `maximumBytes`.
    func read(resolved: ResolvedPath, path: String, maximumBytes: Int) throws -> [UInt8]
    /// The entries of a resolved directory, sorted, without phasekit's temporary files.
    func entries(resolved: ResolvedPath, path: String) throws -> [String]
}

extension RealFileArea: FileSource {
    public func node(_ absolute: String) throws -> FileNode { try FilePaths.realNode(absolute) }
    public func linkCount(_ absolute: String) -> Int { FilePaths.linkCount(absolute) }
    public func read(resolved: ResolvedPath, path: String, maximumBytes: Int) throws -> [UInt8] {
        try Self.read(resolved, path: path, maximumBytes: maximumBytes)
    }
    public func entries(resolved: ResolvedPath, path: String) throws -> [String] {
        try Self.entries(of: resolved, path: path)
    }
}
