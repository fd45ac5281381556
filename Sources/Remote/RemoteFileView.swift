import Files
import Foundation

/// What a ``RemoteFileArea`` knows of its host's files during one pass: whole-directory answers
/// (`files.nodes`: each entry's kind and hard links; `files.contents`: the same with the content
/// of each small file), by canonical absolute path.
///
/// What it knows stays true only while nothing else changes the host: the area updates it with
/// its own writes and removals, and forgets everything as soon as the connection carried any
/// other change (a command, a service, a volume, another area's write; ``AgentConnection/changes``).
struct RemoteFileView {
    /// Nodes seen, and files' hard-link counts.
    var nodes: [String: FileNode] = [:]
    var links: [String: Int] = [:]
    /// Directories whose every entry is in ``nodes``.
    var listed: Set<String> = []
    /// Contents of small files, and the directories whose contents were asked for.
    var contents: [String: [UInt8]] = [:]
    var fetched: Set<String> = []
    /// The connection's count of changes this view has accounted for.
    var changesSeen = 0

    /// Forgets everything when the connection carried a change since, and accounts for it.
    mutating func refresh(changes: Int) {
        guard changes != changesSeen else { return }
        self = RemoteFileView(changesSeen: changes)
    }

    /// Takes in a directory's answer: every entry (`.` is the directory itself), with contents
    /// when the answer carried them.
    mutating func take(_ entries: [AgentNode], of directory: String, withContents: Bool) throws {
        for entry in entries {
            let path = entry.name == "." ? directory : directory + "/" + entry.name
            nodes[path] = entry.node
            links[path] = entry.links
            if let content = entry.content {
                guard let bytes = Data(base64Encoded: content).map(Array.init) else { throw RemoteError.protocolError("files.contents: a content is not base64") }
                contents[path] = bytes
            }
        }
        listed.insert(directory)
        if withContents { fetched.insert(directory) }
    }

    /// What the area's own write of `bytes` to `absolute` did: a file with one name and this
    /// content, its parent directories there. A directory it created is known to hold only it.
    mutating func wrote(_ absolute: String, _ bytes: [UInt8], root: String) {
        var directory = FilePaths.parent(of: absolute)
        while directory.hasPrefix(root + "/"), nodes[directory] != .directory {
            let created = nodes[directory] == .missing
            nodes[directory] = .directory
            if created {
                listed.insert(directory)
                fetched.insert(directory)
            }
            directory = FilePaths.parent(of: directory)
        }
        nodes[absolute] = .file
        links[absolute] = 1
        // A large file is read again when wanted, as one the agent would not send in a directory's answer.
        contents[absolute] = bytes.count <= Self.maximumFileBytes ? bytes : nil
    }

    /// The largest content kept of a file the area wrote (as the agent's `files.contents` bound).
    static let maximumFileBytes = 64 << 10

    /// What the area's own removal of `absolute` did.
    mutating func removed(_ absolute: String) {
        nodes[absolute] = .missing
        links[absolute] = nil
        contents[absolute] = nil
    }
}
