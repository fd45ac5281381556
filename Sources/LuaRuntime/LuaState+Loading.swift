import Foundation
internal import CLua
internal import CLuaShim

extension LuaState {
    /// Loads a script file as a text chunk named by its real path.
    ///
    /// - Parameter path: the script's path; it is made absolute so messages name the real file.
    /// - Returns: the compiled chunk, ready for ``call(_:_:)``.
    /// - Throws: ``LuaError`` `.file` when it cannot be read or is larger than
    ///   ``maximumChunkBytes``, `.syntax` when it does not compile (bytecode is refused as a syntax
    ///   error), `.limit(.time)` when compiling it outlasts the run's deadline.
    public func load(file path: String) throws(LuaError) -> LuaFunction {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        // A file that cannot be examined cannot be read either: the read below fails with its error.
        let size = (try? FileManager.default.attributesOfItem(atPath: absolute)[.size] as? Int) ?? 0
        if size > Self.maximumChunkBytes {
            throw LuaError(.file, "\(absolute): the script is larger than \(Self.maximumChunkBytes) bytes", file: absolute)
        }
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw LuaError(.file, "\(absolute): cannot read the script", file: absolute)
        }
        loadedFiles.insert(absolute)
        return try load(bytes: Array(data), chunkName: "@" + absolute)
    }

    /// Loads Lua source held in memory.
    ///
    /// - Parameters:
    ///   - source: the chunk's text.
    ///   - chunkName: Lua's chunk name: `@path` for a file, `=name` for anything else.
    /// - Throws: ``LuaError`` `.syntax` when it does not compile.
    public func load(source: String, chunkName: String) throws(LuaError) -> LuaFunction {
        try load(bytes: Array(source.utf8), chunkName: chunkName)
    }

    func load(bytes: [UInt8], chunkName: String) throws(LuaError) -> LuaFunction {
        if let tripped = trippedLimit {
            throw LuaError(.limit(tripped), "\(tripped.rawValue) limit exceeded earlier in this run")
        }
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                withHostAllocations { clua_load_text(L, chars.baseAddress, chars.count, chunkName) }
            }
        }
        try check(status)
        return popFunction()
    }

    /// Runs `body` with allocations that cannot fail, so no Lua memory error escapes into Swift.
    func withHostAllocations<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        runtime.pointee.host_depth += 1
        defer { runtime.pointee.host_depth -= 1 }
        return try body()
    }

    /// Pops the function on top of the stack into a registry reference.
    func popFunction(on thread: OpaquePointer? = nil) -> LuaFunction {
        drainReleases()
        let reference = withHostAllocations { luaL_ref(thread ?? L, clua_registryindex()) }
        return LuaFunction(reference: reference, owner: self)
    }

    /// Rewrites paths Lua shortened to `...tail` (its 60-character chunk ids) back to the full path.
    func expandShortPaths(_ text: String) -> String {
        guard text.contains("...") else { return text }
        var result = text
        for path in loadedFiles where path.utf8.count + 1 > 60 {
            let short = "..." + String(decoding: path.utf8.suffix(56), as: UTF8.self)
            result = result.replacingOccurrences(of: short, with: path)
        }
        return result
    }
}
