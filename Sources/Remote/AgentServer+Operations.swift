import Files
import Foundation
import HostSystem
import Services
import Volumes

extension AgentServer {
    /// Carries out one operation (read-only refusal already applied) and answers its result.
    func perform(_ operation: AgentOperation) throws -> AgentResponse {
        switch operation {
        case .hello(let hello): return try self.hello(hello)
        case .echo(let bytes): return .bytes(bytes)
        case .hostInfo:
            var tools: [String: String] = [:]
            for tool in ["systemctl", "crm_resource", "lvs"] {
                if let path = Self.which(tool) { tools[tool] = path }
            }
            return .tools(tools)
        case .servicesList: return .services(try served().serviceManager().list())
        case .servicesStatus(let name): return .state(try served().serviceManager().status(name))
        case .servicesStart(let name): try served().serviceManager().start(name)
        case .servicesStop(let name): try served().serviceManager().stop(name)
        case .servicesRestart(let name): try served().serviceManager().restart(name)
        case .volumesList(let filter): return .volumes(try served().pool().list(filter))
        case .volumesGet(let name): return .volume(try served().pool().get(name))
        case .volumesCreate(let volume): try served().pool(forWriting: true).create(volume)
        case .volumesDelete(let name): try served().pool(forWriting: true).delete(name)
        case .volumesResize(let name, let size): try served().pool(forWriting: true).resize(name, to: size)
        case .volumesTag(let name, let tag): try served().pool(forWriting: true).tag(name, tag)
        case .volumesUntag(let name, let tag): try served().pool(forWriting: true).untag(name, tag)
        case .filesRead(let path, let maximumBytes):
            return .bytes(Data(try served().files.read(path, maximumBytes: maximumBytes ?? Int.max)).base64EncodedString())
        case .filesExists(let path): return .flag(try served().files.exists(path))
        case .filesList(let path):
            var names = try served().files.list(path)
            // The agent's own state (process services' pid files) is not among the server's files.
            if try served().files.resolve(path).relative.isEmpty { names.removeAll { $0 == AgentBackends.stateName } }
            return .names(names)
        case .filesNodes(let path): return .nodes(try nodes(of: path))
        case .filesContents(let path): return .nodes(try contents(of: path))
        case .filesSync: try served().files.syncWrites()
        case .filesWrite(let path, let base64):
            guard let bytes = Data(base64Encoded: base64) else { throw AgentFailure.protocolViolation("files.write: the content is not base64") }
            try served().files.write(path, Array(bytes))
        case .filesRemove(let path): try served().files.remove(path)
        case .commandRun(let arguments, let timeoutSeconds):
            return .output(try served().runner.run(arguments, timeout: Duration.milliseconds(Int64(timeoutSeconds * 1000))))
        }
        // Every write that returned got here: it was carried out.
        return .done
    }

    private func served() throws -> AgentBackends {
        guard let backends else { throw AgentFailure.protocolViolation("the first request must be hello") }
        return backends
    }

    /// What a directory at or below the root holds, in one answer: the directory itself (named
    /// `.`) and every entry, each as `lstat` sees it. Directories outside the root are refused.
    func nodes(of directory: String) throws -> [AgentNode] {
        // Only canonical paths at or below the root: no '.', '..' or link on the way.
        let relative = directory == root ? "." : directory.hasPrefix(root + "/") ? String(directory.dropFirst(root.count + 1)) : nil
        guard let relative, try FilePaths.resolve(relative, root: root, lookup: FilePaths.realNode).absolute == directory else {
            throw AgentFailure.files("'\(directory)': not a canonical path below the server root")
        }
        var result = [try Self.node(named: ".", at: directory)]
        if result[0].node == .directory {
            // A directory that cannot be listed is an error, never an empty directory.
            result += try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { try Self.node(named: $0, at: directory + "/" + $0) }
        }
        return result
    }

    static func node(named name: String, at absolute: String) throws -> AgentNode {
        let (node, links) = try FilePaths.realNodeAndLinks(absolute)
        return AgentNode(name: name, node: node, links: links)
    }

    /// The first executable `tool` on `PATH`.
    static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin:/usr/sbin:/sbin"
        return (path.split(separator: ":") + ["/usr/sbin", "/sbin"]).map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
