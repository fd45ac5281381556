import LuaRuntime
import Volumes

/// `volumes`: the logical volumes of a server's pool.
///
/// The declaration comes first, one entry per binding; the bodies and describers follow.
enum VolumeBindings {
    static var module: BindingModule {
        BindingModule("volumes", summary: "Logical volumes of the current server's pool (dir or LVM2).", classes: classes,
                      onServer: .init(target: "pool") { invocation, server in _ = try invocation.world.resource(.volumes, server: server) },
                      bindings: [
            Binding("list", parameters: [.init("filter", "phasekit.volumes.Filter", optional: true, "which volumes")],
                    results: [.init("phasekit.Volume[]", "volumes sorted by name")],
                    summary: "Lists volumes; in analysis the list shows the planned state.", effect: .read, body: list),
            Binding("get", parameters: [.init("name", "string", "volume name")],
                    results: [.init("phasekit.Volume?", "the volume, or nil")],
                    summary: "Looks up one volume.", effect: .read, body: get),
            Binding("create", parameters: [.init("volume", "phasekit.volumes.CreateOpts", "the volume")],
                    results: [.init("phasekit.Volume", "the created volume")],
                    summary: "Creates a volume; fails when the name is taken.",
                    analysisResult: "the volume as it would be, marked planned = true", describe: describeCreate, body: create),
            Binding("delete", parameters: [.init("name", "string", "volume name")],
                    summary: "Deletes a volume and its data.",
                    analysisResult: "nothing; later reads no longer show the volume", describe: describeDelete, body: delete),
            Binding("resize", parameters: [.init("name", "string", "volume name"), .init("size", "integer|string", "new size")],
                    summary: "Changes a volume's size.",
                    analysisResult: "nothing; later reads show the new size", describe: describeResize, body: resize),
            Binding("tag", parameters: [.init("name", "string", "volume name"), .init("tag", "string", "tag to add")],
                    summary: "Adds a tag (harmless when present).",
                    analysisResult: "nothing; later reads show the tag", describe: describeTag, body: tag),
            Binding("untag", parameters: [.init("name", "string", "volume name"), .init("tag", "string", "tag to remove")],
                    summary: "Removes a tag (harmless when absent).",
                    analysisResult: "nothing; later reads no longer show the tag", describe: describeUntag, body: untag),
        ])
    }

    static let classes = [
        LuaClassSpec("phasekit.Volume", "A logical volume.", fields: [
            .init("name", "string", "unique within the pool"),
            .init("group", "string", "volume group"),
            .init("role", "string", "what it is for: data, or a name the procedure chose"),
            .init("size", "integer", "bytes"),
            .init("tags", "string[]", "sorted tags"),
            .init("planned", "boolean", optional: true, "true when created by this analysis run only"),
        ]),
        LuaClassSpec("phasekit.volumes.Filter", "Which volumes to list; absent fields match all.", fields: [
            .init("group", "string", optional: true, "only this volume group"),
            .init("role", "string", optional: true, "only this role"),
            .init("tag", "string", optional: true, "only volumes with this tag"),
        ]),
        LuaClassSpec("phasekit.volumes.CreateOpts", "A volume to create.", fields: [
            .init("name", "string", "letters, digits, _ . + -"),
            .init("group", "string", "volume group"),
            .init("size", "integer|string", "bytes, or a string such as \"512M\""),
            .init("role", "string", optional: true, "what it is for (lowercase letters, digits, _); default data"),
            .init("tags", "string[]", optional: true, "initial tags"),
        ]),
    ]

    static func resource(_ invocation: BindingInvocation) throws -> VolumeResource {
        try invocation.world.resource(.volumes, server: invocation.server)
    }

    /// A role a script names, checked.
    static func role(_ name: String, _ call: borrowing LuaCall) throws -> VolumeRole {
        let role = VolumeRole(name)
        guard role.isValid else {
            throw LuaArgumentError(function: call.functionName, position: 1, "invalid role '\(name)' (lowercase letters, digits and _)")
        }
        return role
    }

    // MARK: Reads

    static func list(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let options = try call.optionalTable(1) ?? LuaTable()
        var filter = VolumeFilter(group: options["group"].stringValue, tag: options["tag"].stringValue)
        if let roleName = options["role"].stringValue { filter.role = try role(roleName, call) }
        let resource = try resource(invocation)
        let volumes = try resource.pool.list(filter)
        try call.push(.table(LuaTable(array: volumes.map { BindingValues.volume($0, planned: resource.plannedNames.contains($0.name)) })))
        return 1
    }

    static func get(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let resource = try resource(invocation)
        let name = try call.string(1)
        try call.push(try resource.pool.get(name).map { BindingValues.volume($0, planned: resource.plannedNames.contains(name)) } ?? .nil)
        return 1
    }

    // MARK: Writes

    static func create(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let options = try call.table(1)
        let name = try BindingValues.field(options, "name", of: call.functionName)
        let group = try BindingValues.field(options, "group", of: call.functionName)
        let size = try BindingValues.size(options["size"], of: call.functionName, position: 1)
        let role = try role(options["role"].stringValue ?? "data", call)
        let tags = (options["tags"].tableValue?.array ?? []).compactMap(\.stringValue)
        let volume = Volume(name: name, group: group, role: role, size: size, tags: tags)
        let resource = try resource(invocation)
        try resource.pool.create(volume)
        resource.noteCreated(name)
        try call.push(BindingValues.volume(volume, planned: resource.isPlanned))
        return 1
    }

    static func describeCreate(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        let options = try call.table(1)
        let size = try BindingValues.size(options["size"], of: call.functionName, position: 1)
        let role = options["role"].stringValue.flatMap { $0 == "data" ? nil : " (\(String($0.map { $0 == "_" ? " " : $0 })))" } ?? ""
        return ChangeDescription("create volume \(options["name"].stringValue ?? "?")\(role), \(ByteCount.format(size)) in \(options["group"].stringValue ?? "?"), on \(invocation.server)")
    }

    static func delete(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let resource = try resource(invocation)
        let name = try call.string(1)
        try resource.pool.delete(name)
        resource.noteDeleted(name)
        return 0
    }

    static func describeDelete(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        let name = try call.string(1)
        // The size only completes the description: a volume that cannot be read is described without it,
        // and the deletion itself reads the pool again (its failure fails the write).
        let size = (try? resource(invocation).pool.get(name)).flatMap { $0 }.map { ", \(ByteCount.format($0.size))" } ?? ""
        return ChangeDescription("delete volume \(name)\(size) and its data, on \(invocation.server)")
    }

    static func resize(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let size = try BindingValues.size(try call.value(2), of: call.functionName, position: 2)
        try resource(invocation).pool.resize(try call.string(1), to: size)
        return 0
    }

    static func describeResize(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        let size = try BindingValues.size(try call.value(2), of: call.functionName, position: 2)
        return ChangeDescription("resize volume \(try call.string(1)) to \(ByteCount.format(size)), on \(invocation.server)")
    }

    static func tag(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        try resource(invocation).pool.tag(try call.string(1), try call.string(2))
        return 0
    }

    static func describeTag(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        ChangeDescription("tag volume \(try call.string(1)) \(try call.string(2)), on \(invocation.server)")
    }

    static func untag(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        try resource(invocation).pool.untag(try call.string(1), try call.string(2))
        return 0
    }

    static func describeUntag(_ call: borrowing LuaCall, _ invocation: BindingInvocation) throws -> ChangeDescription {
        ChangeDescription("remove tag \(try call.string(2)) from volume \(try call.string(1)), on \(invocation.server)")
    }
}
