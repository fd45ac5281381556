import Files
import Foundation

extension AgentServer {
    /// The bounds of one `files.contents` answer: files larger than ``maximumFileBytes`` and
    /// files past ``maximumTotalBytes`` come without their content (the controller reads them
    /// one by one, bounded by its memory limit as ever).
    enum ContentBounds {
        static let maximumFileBytes = 64 << 10
        static let maximumTotalBytes = 8 << 20
    }

    /// What a directory at or below the root holds (as ``nodes(of:)``) and, in the same answer,
    /// the content of each regular file within ``ContentBounds``: a whole directory's small files
    /// in one request instead of one each. A file that cannot be read is an error, never absent.
    func contents(of directory: String) throws -> [AgentNode] {
        var result = try nodes(of: directory)
        var total = 0
        for index in result.indices where result[index].node == .file && result[index].name != "."
            && !result[index].name.hasPrefix(FilePaths.temporaryPrefix) {
            let path = directory + "/" + result[index].name
            let resolved = ResolvedPath(absolute: path, relative: String(path.dropFirst(root.count + 1)), node: .file)
            do {
                let bytes = try RealFileArea.read(resolved, path: resolved.relative, maximumBytes: min(ContentBounds.maximumFileBytes, ContentBounds.maximumTotalBytes - total))
                total += bytes.count
                result[index].content = Data(bytes).base64EncodedString()
            } catch is FileTooLarge {
                // Left for a read of its own.
                continue
            }
        }
        return result
    }
}
