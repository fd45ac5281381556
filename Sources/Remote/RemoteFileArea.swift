public import Files
import Foundation

/// A server's files on its own host, through its agent: every path is resolved and confined there
/// by the same resolver as locally.
///
/// As the real files behind a planned area (``FileSource``) it answers what paths name from
/// whole-directory answers (`files.nodes`), kept for its lifetime (one pass), so resolving the
/// paths of a step costs a request per directory, not per path or component.
public final class RemoteFileArea: FileSource {
    let connection: AgentConnection
    public var root: String { connection.welcome.root }
    public var protected: [String] { connection.welcome.protected }
    public var retainedBytes: Int { 0 }
    /// Nodes seen, by canonical absolute path, and their hard-link counts.
    private var nodes: [String: FileNode] = [:]
    private var links: [String: Int] = [:]
    private var listed: Set<String> = []

    public init(connection: AgentConnection) {
        self.connection = connection
    }

    private func send(_ operation: AgentOperation) throws -> AgentResponse {
        try connection.request(AgentRequest(operation))
    }

    public func read(_ path: String, maximumBytes: Int) throws -> [UInt8] {
        let answer = try send(.filesRead(path: path, maximumBytes: maximumBytes == Int.max ? nil : maximumBytes))
        guard case .bytes(let base64) = answer else { throw AgentResponse.unexpected(.filesRead, answer) }
        guard let bytes = Data(base64Encoded: base64) else { throw RemoteError.protocolError("files.read: the content is not base64") }
        return Array(bytes)
    }

    public func exists(_ path: String) throws -> Bool {
        let answer = try send(.filesExists(path: path))
        guard case .flag(let flag) = answer else { throw AgentResponse.unexpected(.filesExists, answer) }
        return flag
    }

    public func list(_ path: String) throws -> [String] {
        let answer = try send(.filesList(path: path))
        guard case .names(let names) = answer else { throw AgentResponse.unexpected(.filesList, answer) }
        return names
    }
    public func write(_ path: String, _ bytes: [UInt8]) throws { _ = try send(.filesWrite(path: path, bytes: Data(bytes).base64EncodedString())) }
    public func remove(_ path: String) throws { _ = try send(.filesRemove(path: path)) }

    /// What `absolute` names on the host.
    ///
    /// - Throws: the connection's error (``RemoteError/connectionLost(_:)``, a timeout) or the
    ///   agent's: a host that cannot be asked is never read as a missing file.
    public func node(_ absolute: String) throws -> FileNode {
        if absolute == root || root.hasPrefix(absolute == "/" ? "/" : absolute + "/") { return .directory }
        // Outside the root the agent tells nothing; the resolver refuses whatever leads there.
        guard absolute.hasPrefix(root + "/") else { return .special }
        if let known = nodes[absolute] { return known }
        let parent = FilePaths.parent(of: absolute)
        guard !listed.contains(parent) else { return .missing }
        let answer = try send(.filesNodes(path: parent))
        guard case .nodes(let entries) = answer else { throw AgentResponse.unexpected(.filesNodes, answer) }
        // Only an answered listing is kept: after a failure the next call asks again (and fails again on a broken connection).
        listed.insert(parent)
        for entry in entries {
            let path = entry.name == "." ? parent : parent + "/" + entry.name
            links[path] = entry.links
            nodes[path] = entry.node
        }
        return nodes[absolute] ?? .missing
    }

    public func linkCount(_ absolute: String) throws -> Int {
        _ = try node(absolute)
        return links[absolute] ?? 1
    }

    public func read(resolved: ResolvedPath, path: String, maximumBytes: Int) throws -> [UInt8] {
        do {
            return try read(resolved.relative.isEmpty ? "." : resolved.relative, maximumBytes: maximumBytes)
        } catch let tooLarge as FileTooLarge {
            throw FileTooLarge(path: path, size: tooLarge.size)
        }
    }

    public func entries(resolved: ResolvedPath, path: String) throws -> [String] {
        try list(resolved.relative.isEmpty ? "." : resolved.relative)
    }
}
