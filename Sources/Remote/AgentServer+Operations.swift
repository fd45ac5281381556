import Files
import Foundation
import HostSystem
import Services
import Volumes

extension AgentServer {
    /// Carries out one request (read-only refusal already applied).
    func perform(_ request: AgentRequest) throws -> AgentResponse {
        var response = AgentResponse(id: request.id)
        switch request.op {
        case "hello": return try hello(request)
        case "echo": response.bytes = request.bytes
        case "host.info":
            var tools: [String: String] = [:]
            for tool in ["systemctl", "crm_resource", "lvs"] {
                if let path = Self.which(tool) { tools[tool] = path }
            }
            response.tools = tools
        case "services.list": response.services = try served().serviceManager().list()
        case "services.status": response.state = try served().serviceManager().status(try required(request.name, "name"))
        case "services.start": try served().serviceManager().start(try required(request.name, "name"))
        case "services.stop": try served().serviceManager().stop(try required(request.name, "name"))
        case "services.restart": try served().serviceManager().restart(try required(request.name, "name"))
        case "volumes.list":
            response.volumes = try served().pool().list(VolumeFilter(group: request.group, role: request.role, tag: request.tag))
        case "volumes.get": response.volume = try served().pool().get(try required(request.name, "name"))
        case "volumes.create": try served().pool(forWriting: true).create(try required(request.volume, "volume"))
        case "volumes.delete": try served().pool(forWriting: true).delete(try required(request.name, "name"))
        case "volumes.resize": try served().pool(forWriting: true).resize(try required(request.name, "name"), to: try required(request.size, "size"))
        case "volumes.tag": try served().pool(forWriting: true).tag(try required(request.name, "name"), try required(request.tag, "tag"))
        case "volumes.untag": try served().pool(forWriting: true).untag(try required(request.name, "name"), try required(request.tag, "tag"))
        case "files.read":
            let bytes = try served().files.read(try required(request.path, "path"), maximumBytes: request.maximumBytes ?? Int.max)
            response.bytes = Data(bytes).base64EncodedString()
        case "files.exists": response.flag = try served().files.exists(try required(request.path, "path"))
        case "files.list":
            let path = try required(request.path, "path")
            var names = try served().files.list(path)
            // The agent's own state (process services' pid files) is not among the server's files.
            if try served().files.resolve(path).relative.isEmpty { names.removeAll { $0 == AgentBackends.stateName } }
            response.names = names
        case "files.nodes": response.nodes = try nodes(of: try required(request.path, "path"))
        case "files.write":
            guard let bytes = Data(base64Encoded: try required(request.bytes, "bytes")) else {
                throw AgentFailure(kind: "protocol", message: "files.write: the content is not base64")
            }
            try served().files.write(try required(request.path, "path"), Array(bytes))
        case "files.remove": try served().files.remove(try required(request.path, "path"))
        case "command.run":
            let output = try served().runner.run(try required(request.arguments, "arguments"),
                                                   timeout: Duration.milliseconds(Int64((request.timeoutSeconds ?? 60) * 1000)))
            response.status = output.status
            response.standardOutput = output.standardOutput
            response.standardError = output.standardError
        default:
            throw AgentFailure(kind: "protocol", message: "unknown operation '\(request.op)'")
        }
        return response
    }

    private func served() throws -> AgentBackends {
        guard let backends else { throw AgentFailure(kind: "protocol", message: "the first request must be hello") }
        return backends
    }

    private func required<Value>(_ value: Value?, _ field: String) throws -> Value {
        guard let value else { throw AgentFailure(kind: "protocol", message: "missing field '\(field)'") }
        return value
    }

    /// What a directory at or below the root holds, in one answer: the directory itself (named
    /// `.`) and every entry, each as `lstat` sees it. Directories outside the root are refused.
    func nodes(of directory: String) throws -> [AgentNode] {
        // Only canonical paths at or below the root: no '.', '..' or link on the way.
        let relative = directory == root ? "." : directory.hasPrefix(root + "/") ? String(directory.dropFirst(root.count + 1)) : nil
        guard let relative, try FilePaths.resolve(relative, root: root, lookup: FilePaths.realNode).absolute == directory else {
            throw AgentFailure(kind: "files", message: "'\(directory)': not a canonical path below the server root")
        }
        var result = [try Self.node(named: ".", at: directory)]
        if result[0].kind == "directory" {
            // A directory that cannot be listed is an error, never an empty directory.
            result += try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { try Self.node(named: $0, at: directory + "/" + $0) }
        }
        return result
    }

    static func node(named name: String, at absolute: String) throws -> AgentNode {
        switch try FilePaths.realNode(absolute) {
        case .missing: AgentNode(name: name, kind: "missing")
        case .file: AgentNode(name: name, kind: "file", links: FilePaths.linkCount(absolute))
        case .directory: AgentNode(name: name, kind: "directory")
        case .symlink(let target): AgentNode(name: name, kind: "symlink", target: target)
        case .special: AgentNode(name: name, kind: "special")
        }
    }

    /// The first executable `tool` on `PATH`.
    static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin:/usr/sbin:/sbin"
        return (path.split(separator: ":") + ["/usr/sbin", "/sbin"]).map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
