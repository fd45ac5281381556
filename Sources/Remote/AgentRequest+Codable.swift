import Volumes

/// The wire form of a request: one flat object, `id`, `op` and the fields its operation uses
/// (docs/remote.md, "Protocol").
extension AgentRequest: Codable {
    enum Field: String, CodingKey {
        case id, op, batch, protocolVersion, phasekit, configuration, name, path, bytes, maximumBytes
        case volume, group, role, tag, size, arguments, timeoutSeconds
    }

    /// The `id` and `op` of a request, read apart so that a request whose fields are wrong is
    /// still answered under its own id (and refused by a read-only agent when it is a write).
    struct Envelope: Decodable {
        var id: Int?
        var op: String?
    }

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: Field.self)
        id = try fields.decode(Int.self, forKey: .id)
        let op = try fields.decode(String.self, forKey: .op)
        guard let name = AgentOperation.Name(rawValue: op) else { throw AgentFailure.protocolViolation("unknown operation '\(op)'") }
        operation = try Self.operation(name, fields)
        batch = try fields.decodeIfPresent(Int.self, forKey: .batch)
    }

    private static func operation(_ name: AgentOperation.Name, _ fields: KeyedDecodingContainer<Field>) throws -> AgentOperation {
        func value<Value: Decodable>(_ field: Field) throws -> Value { try fields.decode(Value.self, forKey: field) }
        func optional<Value: Decodable>(_ field: Field) throws -> Value? { try fields.decodeIfPresent(Value.self, forKey: field) }
        return switch name {
        case .hello: .hello(AgentHello(protocolVersion: try optional(.protocolVersion), phasekit: try optional(.phasekit),
                                       configuration: try value(.configuration)))
        case .echo: .echo(bytes: try optional(.bytes) ?? "")
        case .hostInfo: .hostInfo
        case .servicesList: .servicesList
        case .servicesStatus: .servicesStatus(name: try value(.name))
        case .servicesStart: .servicesStart(name: try value(.name))
        case .servicesStop: .servicesStop(name: try value(.name))
        case .servicesRestart: .servicesRestart(name: try value(.name))
        case .volumesList: .volumesList(VolumeFilter(group: try optional(.group), role: try optional(.role), tag: try optional(.tag)))
        case .volumesGet: .volumesGet(name: try value(.name))
        case .volumesCreate: .volumesCreate(try value(.volume))
        case .volumesDelete: .volumesDelete(name: try value(.name))
        case .volumesResize: .volumesResize(name: try value(.name), size: try value(.size))
        case .volumesTag: .volumesTag(name: try value(.name), tag: try value(.tag))
        case .volumesUntag: .volumesUntag(name: try value(.name), tag: try value(.tag))
        case .filesRead: .filesRead(path: try value(.path), maximumBytes: try optional(.maximumBytes))
        case .filesExists: .filesExists(path: try value(.path))
        case .filesList: .filesList(path: try value(.path))
        case .filesNodes: .filesNodes(path: try value(.path))
        case .filesContents: .filesContents(path: try value(.path))
        case .filesSync: .filesSync
        case .filesWrite: .filesWrite(path: try value(.path), bytes: try value(.bytes))
        case .filesRemove: .filesRemove(path: try value(.path))
        case .commandRun: .commandRun(arguments: try value(.arguments), timeoutSeconds: try optional(.timeoutSeconds) ?? 60)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: Field.self)
        try fields.encode(id, forKey: .id)
        try fields.encode(operation.name.rawValue, forKey: .op)
        try fields.encodeIfPresent(batch, forKey: .batch)
        switch operation {
        case .hello(let hello):
            try fields.encodeIfPresent(hello.protocolVersion, forKey: .protocolVersion)
            try fields.encodeIfPresent(hello.phasekit, forKey: .phasekit)
            try fields.encode(hello.configuration, forKey: .configuration)
        case .echo(let bytes): try fields.encode(bytes, forKey: .bytes)
        case .hostInfo, .servicesList, .filesSync: break
        case .servicesStatus(let name), .servicesStart(let name), .servicesStop(let name), .servicesRestart(let name),
             .volumesGet(let name), .volumesDelete(let name):
            try fields.encode(name, forKey: .name)
        case .volumesList(let filter):
            try fields.encodeIfPresent(filter.group, forKey: .group)
            try fields.encodeIfPresent(filter.role, forKey: .role)
            try fields.encodeIfPresent(filter.tag, forKey: .tag)
        case .volumesCreate(let volume): try fields.encode(volume, forKey: .volume)
        case .volumesResize(let name, let size):
            try fields.encode(name, forKey: .name)
            try fields.encode(size, forKey: .size)
        case .volumesTag(let name, let tag), .volumesUntag(let name, let tag):
            try fields.encode(name, forKey: .name)
            try fields.encode(tag, forKey: .tag)
        case .filesRead(let path, let maximumBytes):
            try fields.encode(path, forKey: .path)
            try fields.encodeIfPresent(maximumBytes, forKey: .maximumBytes)
        case .filesExists(let path), .filesList(let path), .filesNodes(let path), .filesContents(let path), .filesRemove(let path):
            try fields.encode(path, forKey: .path)
        case .filesWrite(let path, let bytes):
            try fields.encode(path, forKey: .path)
            try fields.encode(bytes, forKey: .bytes)
        case .commandRun(let arguments, let timeoutSeconds):
            try fields.encode(arguments, forKey: .arguments)
            try fields.encode(timeoutSeconds, forKey: .timeoutSeconds)
        }
    }
}
