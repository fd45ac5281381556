import Files
import LuaRuntime

/// `files`: files below the current server's root.
enum FileBindings {
    static var module: BindingModule {
        let path = BindingParameter("path", "string", "relative to the server root; no '..', no absolute paths")
        return BindingModule("files", summary: "Files below the current server's root; nothing outside it is reachable.", classes: [
            LuaClassSpec("phasekit.files.CopyOpts", "Where a copy goes.", fields: [
                .init("to_server", "string", optional: true, "copy into this server's root instead of the current one"),
            ]),
        ], onServer: .init(target: "root") { invocation, server in _ = try area(invocation, server: server) }, bindings: [
            Binding("read", parameters: [path], results: [.init("string", "the file's bytes")],
                    summary: "Reads a whole file; in analysis planned writes are seen.", effect: .read, body: read),
            Binding("exists", parameters: [path], results: [.init("boolean", "whether the file or directory exists")],
                    summary: "Tells whether a path exists.", effect: .read, body: exists),
            Binding("list", parameters: [.init("path", "string", optional: true, "a directory; default the root")],
                    results: [.init("string[]", "entry names, sorted")],
                    summary: "Lists a directory.", effect: .read, body: list),
            Binding("write", parameters: [path, .init("content", "string", "the bytes to write")],
                    summary: "Writes a file atomically, creating parent directories. On another host the call does not wait for the host: a failure only the host can tell is raised by the step's next call or at its end.",
                    analysisResult: "nothing; later reads in the run see the content", describe: describeWrite, body: write),
            Binding("copy", parameters: [.init("from", "string", "source path"), .init("to", "string", "destination path"),
                                         .init("options", "phasekit.files.CopyOpts", optional: true, "destination server")],
                    summary: "Copies a file, possibly into another server's root.",
                    analysisResult: "nothing; later reads see the copy", describe: describeCopy, body: copy),
            Binding("remove", parameters: [path], summary: "Removes a file (harmless when missing). On another host, as `write`: a failure is raised by the step's next call or at its end.",
                    analysisResult: "nothing; later reads no longer see the file", describe: describeRemove, body: remove),
        ])
    }

    static func area(_ invocation: BindingInvocation, server: String? = nil) throws -> any FileArea {
        try invocation.world.resource(.files, server: server ?? invocation.server)
    }

    /// Reads a file whose content, and its copy as a Lua string, fit in what the memory limit
    /// leaves; a larger file trips the limit before it is read.
    static func readBounded(_ area: any FileArea, _ path: String, call: borrowing LuaCall) throws -> [UInt8] {
        do {
            let bytes = try area.read(path, maximumBytes: call.memoryAvailable.map { $0 / 2 } ?? Int.max)
            try call.holdMemory(bytes.count)
            return bytes
        } catch let error as FileTooLarge {
            try call.ensureMemory(error.size * 2)
            throw error
        }
    }

    /// Counts the planned content an analysis holds for files against the memory limit (one
    /// record of planned files serves every server of a run, so it is counted once).
    static func chargePlanned(_ area: any FileArea, server: String, call: borrowing LuaCall) throws {
        try call.setHostMemory("files", bytes: area.retainedBytes)
    }

    // MARK: Reads

    static func read(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let bytes = try readBounded(try area(invocation), try call.string(1), call: call)
        try call.push(.string(LuaString(bytes: bytes)))
        return 1
    }

    static func exists(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        try call.push(.boolean(try area(invocation).exists(try call.string(1))))
        return 1
    }

    static func list(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let names = try area(invocation).list(try call.optionalString(1) ?? ".")
        try call.push(.table(LuaTable(array: names.map { .text($0) })))
        return 1
    }

    // MARK: Writes (described in FileBindings+Describe.swift)

    static func write(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        guard case .string(let content) = try call.value(2) else {
            throw LuaArgumentError(function: call.functionName, position: 2, "string expected")
        }
        let target = try area(invocation)
        try target.write(try call.string(1), content.bytes)
        try chargePlanned(target, server: invocation.server, call: call)
        return 0
    }

    static func copy(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let options = try call.optionalTable(3) ?? LuaTable()
        let server = options["to_server"].stringValue ?? invocation.server
        let destination = try area(invocation, server: server)
        let bytes = try readBounded(try area(invocation), try call.string(1), call: call)
        try destination.write(try call.string(2), bytes)
        try chargePlanned(destination, server: server, call: call)
        return 0
    }

    static func remove(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        try area(invocation).remove(try call.string(1))
        return 0
    }
}
