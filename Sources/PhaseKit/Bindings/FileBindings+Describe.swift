import LuaRuntime

extension FileBindings {
    /// `files.write`: "write 312 bytes to etc/x.conf on recovery1", or "replace" with a unified
    /// diff when the file exists (read within ``TextDiff/maximumBytes``; a larger one is summarized).
    static func describeWrite(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        let path = try call.string(1)
        guard case .string(let content) = try call.value(2) else { return ChangeDescription("write \(path) on \(invocation.server)") }
        let size = ByteCount.format(Int64(content.bytes.count))
        let area = try area(invocation)
        guard (try? area.exists(path)) == true else {
            return ChangeDescription("write \(size) to \(path) on \(invocation.server) (new file)")
        }
        let old: [UInt8]
        do {
            old = try area.read(path, maximumBytes: TextDiff.maximumBytes)
        } catch let error as FileTooLarge {
            return ChangeDescription("replace \(path) on \(invocation.server) with \(size)",
                                     diff: "(\(ByteCount.format(Int64(error.size))) replaced by \(size); too large to show a diff)")
        }
        guard old != content.bytes else { return ChangeDescription("write \(size) to \(path) on \(invocation.server) (unchanged content)") }
        return ChangeDescription("replace \(path) on \(invocation.server) with \(size)",
                                 diff: TextDiff.unified(old: old, new: content.bytes, path: path))
    }
}
