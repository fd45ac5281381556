import Files
import LuaRuntime

extension FileBindings {
    /// `files.write`: "write 312 bytes to etc/x.conf on recovery1 (new file)", or "replace" with a
    /// unified diff when the file exists.
    static func describeWrite(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        let path = try call.string(1)
        guard case .string(let content) = try call.value(2) else { return ChangeDescription("write \(path) on \(invocation.server)") }
        return describe(writing: content.bytes, to: path, in: try area(invocation), server: invocation.server, verb: "write")
    }

    /// `files.copy`: "copy a on S to b" (and the destination's server), with a diff when the
    /// destination exists and the source can be read within ``TextDiff/maximumBytes``.
    static func describeCopy(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        let source = try call.string(1), destination = try call.string(2)
        let target = (try call.optionalTable(3) ?? LuaTable())["to_server"].stringValue ?? invocation.server
        let text = "copy \(source) on \(invocation.server) to \(destination)" + (target == invocation.server ? "" : " on \(target)")
        let destinationArea = try area(invocation, server: target)
        // Only the diff depends on these reads: one that fails leaves the plain description (and a
        // lost host still fails the step, RunSession).
        guard (try? destinationArea.exists(destination)) == true,
              let bytes = try? area(invocation).read(source, maximumBytes: TextDiff.maximumBytes) else { return ChangeDescription(text) }
        return ChangeDescription(text, diff: describe(writing: bytes, to: destination, in: destinationArea, server: target, verb: "copy").diff)
    }

    /// `files.remove`: "remove etc/x.conf on recovery1".
    static func describeRemove(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        ChangeDescription("remove \(try call.string(1)) on \(invocation.server)")
    }

    /// What writing `content` to `path` does: a new file, an unchanged one, or a replacement with
    /// its diff (an old file over ``TextDiff/maximumBytes`` is summarized, never read whole).
    static func describe(writing content: [UInt8], to path: String, in area: any FileArea, server: String, verb: String) -> ChangeDescription {
        let size = ByteCount.format(Int64(content.count))
        let exists: Bool
        do {
            exists = try area.exists(path)
        } catch {
            // Not told as a new file: what is there is unknown.
            return ChangeDescription("\(verb) \(size) to \(path) on \(server)")
        }
        guard exists else { return ChangeDescription("\(verb) \(size) to \(path) on \(server) (new file)") }
        let old: [UInt8]
        do {
            old = try area.read(path, maximumBytes: TextDiff.maximumBytes)
        } catch let error as FileTooLarge {
            return ChangeDescription("replace \(path) on \(server) with \(size)",
                                     diff: "(\(ByteCount.format(Int64(error.size))) replaced by \(size); too large to show a diff)")
        } catch {
            return ChangeDescription("\(verb) \(size) to \(path) on \(server)")
        }
        guard old != content else { return ChangeDescription("\(verb) \(size) to \(path) on \(server) (unchanged content)") }
        return ChangeDescription("replace \(path) on \(server) with \(size)", diff: TextDiff.unified(old: old, new: content, path: path))
    }
}
