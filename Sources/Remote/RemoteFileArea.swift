public import Files
import Foundation

/// A server's files on its own host, through its agent: every path is resolved and confined there
/// by the same resolver as locally.
///
/// It answers from what it learned in this pass (``RemoteFileView``): what paths name from
/// whole-directory answers (`files.nodes`), so resolving a step's paths costs a request per
/// directory, not per path or component; and the content of a directory's small files from one
/// `files.contents` answer, asked at the first read of a file there, so reading a directory's
/// files costs one request, not one each. As the run's real files (an execution) it sends every
/// write and removal without waiting for its answer (``AgentConnection/post(_:ticket:)``: a
/// failure is thrown by the next request, and the row's sync waits for them all) and takes them
/// into what it knows; any other change the connection carries
/// makes it forget and ask again. A read it answers is as fresh as the pass's first look at that
/// directory, exactly as in the analysis.
public final class RemoteFileArea: FileSource {
    let connection: AgentConnection
    public var root: String { connection.welcome.root }
    public var protected: [String] { connection.welcome.protected }
    public var retainedBytes: Int { 0 }
    private var view = RemoteFileView()
    /// Whether a write or removal was sent since the last ``syncWrites()``.
    private var unsynced = false

    /// In an analysis: reads sent ahead on the run's other hosts (``RemoteReadAhead``).
    private let readAhead: RemoteReadAhead?

    public init(connection: AgentConnection, readAhead: RemoteReadAhead? = nil) {
        self.connection = connection
        self.readAhead = readAhead
    }

    private func send(_ operation: AgentOperation) throws -> AgentResponse {
        try connection.request(AgentRequest(operation))
    }

    /// The view, forgotten first when the connection carried a change since.
    private func freshView() -> RemoteFileView {
        view.refresh(changes: connection.changes)
        return view
    }

    /// `path` resolved with what the area knows (asking for the directories it lacks), or nil when
    /// the resolver refuses it: the agent then answers with its own reason.
    private func resolvedLocally(_ path: String) -> ResolvedPath? {
        // A path the local resolver refuses, or that cannot be looked up (a lost connection), is
        // sent as it is: the agent's refusal, or the connection's failure, is the answer.
        try? FilePaths.resolve(path, root: root, lookup: node)
    }

    public func read(_ path: String, maximumBytes: Int) throws -> [UInt8] {
        if let resolved = resolvedLocally(path), resolved.node == .file, let bytes = try content(resolved.absolute) {
            guard bytes.count <= maximumBytes else { throw FileTooLarge(path: path, size: bytes.count) }
            return bytes
        }
        let answer = try send(.filesRead(path: path, maximumBytes: maximumBytes == Int.max ? nil : maximumBytes))
        guard case .bytes(let base64) = answer else { throw AgentResponse.unexpected(.filesRead, answer) }
        guard let bytes = Data(base64Encoded: base64) else { throw RemoteError.protocolError("files.read: the content is not base64") }
        return Array(bytes)
    }

    public func exists(_ path: String) throws -> Bool {
        if let resolved = resolvedLocally(path) { return resolved.node != .missing }
        let answer = try send(.filesExists(path: path))
        guard case .flag(let flag) = answer else { throw AgentResponse.unexpected(.filesExists, answer) }
        return flag
    }

    public func list(_ path: String) throws -> [String] {
        let answer = try send(.filesList(path: path))
        guard case .names(let names) = answer else { throw AgentResponse.unexpected(.filesList, answer) }
        return names
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws {
        let resolved = try checkedLocally(path)
        let operation = AgentOperation.filesWrite(path: path, bytes: Data(bytes).base64EncodedString())
        if resolved == nil { _ = try send(operation) } else { try connection.post(AgentRequest(operation), ticket: ChangeTicket.current) }
        unsynced = true
        noteOwnChange { view in
            if let resolved { view.wrote(resolved.absolute, bytes, root: root) } else { view = RemoteFileView(changesSeen: view.changesSeen) }
        }
    }

    public func remove(_ path: String) throws {
        let resolved = try checkedLocally(path)
        if resolved == nil { _ = try send(.filesRemove(path: path)) } else { try connection.post(AgentRequest(.filesRemove(path: path)), ticket: ChangeTicket.current) }
        unsynced = true
        noteOwnChange { view in
            if let resolved { view.removed(resolved.absolute) } else { view = RemoteFileView(changesSeen: view.changesSeen) }
        }
    }

    /// A change's path as the agent will resolve it, refused here exactly as the agent would refuse
    /// it (protected, a directory, several hard links), so that such a refusal is raised by the
    /// call itself; nil when the change is sent and waited for (a read-only agent, or a path the
    /// local resolver refuses: the agent then answers with its own reason, at once).
    private func checkedLocally(_ path: String) throws -> ResolvedPath? {
        guard !connection.welcome.readOnly, let resolved = resolvedLocally(path) else { return nil }
        try FilePaths.checkChange(resolved, path: path, protected: protected,
                                  links: resolved.node == .file ? try linkCount(resolved.absolute) : 1)
        return resolved
    }

    /// Takes the area's own change into the view when it was the only change the connection
    /// carried since the view was fresh; forgets the view otherwise.
    private func noteOwnChange(_ update: (inout RemoteFileView) -> Void) {
        let changes = connection.changes
        if changes == view.changesSeen + 1 {
            view.changesSeen = changes
            update(&view)
        } else {
            view = RemoteFileView(changesSeen: changes)
        }
    }

    /// Whether a `files.sync` was sent by ``startSync()`` and not yet answered.
    private var syncing = false

    /// Sends the `files.sync` of ``syncWrites()`` without waiting, so that several hosts sync at
    /// once; ``finishSync()`` waits for it.
    public func startSync() throws {
        guard unsynced, !syncing else { return }
        try connection.post(AgentRequest(.filesSync), ticket: nil)
        syncing = true
    }

    /// Waits for the sync ``startSync()`` sent (and every change before it).
    public func finishSync() throws {
        guard syncing else { return }
        syncing = false
        try connection.settle()
        unsynced = false
    }

    /// Makes the writes and removals sent since the last call durable on the host (`files.sync`,
    /// one request): before a row that changed files is recorded finished.
    public func syncWrites() throws {
        try startSync()
        try finishSync()
    }

    /// What `absolute` names on the host.
    ///
    /// - Throws: the connection's error (``RemoteError/connectionLost(_:)``, a timeout) or the
    ///   agent's: a host that cannot be asked is never read as a missing file.
    public func node(_ absolute: String) throws -> FileNode {
        if absolute == root || root.hasPrefix(absolute == "/" ? "/" : absolute + "/") { return .directory }
        // Outside the root the agent tells nothing; the resolver refuses whatever leads there.
        guard absolute.hasPrefix(root + "/") else { return .special }
        let known = freshView()
        if let node = known.nodes[absolute] { return node }
        let parent = FilePaths.parent(of: absolute)
        guard !known.listed.contains(parent) else { return .missing }
        try fetch(parent, withContents: false)
        return view.nodes[absolute] ?? .missing
    }

    /// Takes a directory's answer (`files.nodes`, or `files.contents` when `withContents`) into
    /// the view: the one read ahead when there is one, else asked for now (and then ahead on the
    /// run's other hosts). Only an answered listing is kept: after a failure the next call asks
    /// again (and fails again on a broken connection).
    private func fetch(_ directory: String, withContents: Bool) throws {
        if let ahead = try readAhead?.take(directory, on: connection, withContents: withContents) {
            try view.take(ahead.entries, of: directory, withContents: ahead.withContents)
            return
        }
        readAhead?.spread(directory, withContents: withContents, from: connection)
        let operation: AgentOperation = withContents ? .filesContents(path: directory) : .filesNodes(path: directory)
        let answer = try send(operation)
        guard case .nodes(let entries) = answer else { throw AgentResponse.unexpected(operation.name, answer) }
        try view.take(entries, of: directory, withContents: withContents)
    }

    /// The content of the file at `absolute` from its directory's `files.contents` answer (asked
    /// for once per directory), or nil when that answer left it out (too large): read it alone.
    private func content(_ absolute: String) throws -> [UInt8]? {
        let known = freshView()
        if let bytes = known.contents[absolute] { return bytes }
        let parent = FilePaths.parent(of: absolute)
        guard !known.fetched.contains(parent) else { return nil }
        try fetch(parent, withContents: true)
        return view.contents[absolute]
    }

    public func linkCount(_ absolute: String) throws -> Int {
        _ = try node(absolute)
        return view.links[absolute] ?? 1
    }

    public func read(resolved: ResolvedPath, path: String, maximumBytes: Int) throws -> [UInt8] {
        if resolved.node == .file, let bytes = try content(resolved.absolute) {
            guard bytes.count <= maximumBytes else { throw FileTooLarge(path: path, size: bytes.count) }
            return bytes
        }
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
