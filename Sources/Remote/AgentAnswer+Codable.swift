import HostSystem
import Services
import Volumes

/// The wire form of an answer: `{id, <shape>: payload}`, exactly one ``AgentResponse/Shape``.
extension AgentAnswer: Codable {
    private struct Identifier: CodingKey {
        var stringValue: String { "id" }
        var intValue: Int? { nil }
        init() {}
        init?(stringValue: String) { if stringValue != "id" { return nil } }
        init?(intValue: Int) { nil }
    }

    /// `command.run`'s result on the wire.
    private struct Output: Codable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    public init(from decoder: any Decoder) throws {
        id = try decoder.container(keyedBy: Identifier.self).decode(Int.self, forKey: Identifier())
        let fields = try decoder.container(keyedBy: AgentResponse.Shape.self)
        let present = AgentResponse.Shape.allCases.filter { fields.contains($0) }
        guard present.count == 1, let shape = present.first else {
            let found = present.isEmpty ? "none" : present.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "an answer carries exactly one result field, this one \(found)"))
        }
        response = try Self.response(shape, fields)
    }

    private static func response(_ shape: AgentResponse.Shape, _ fields: KeyedDecodingContainer<AgentResponse.Shape>) throws -> AgentResponse {
        func value<Value: Decodable>() throws -> Value { try fields.decode(Value.self, forKey: shape) }
        switch shape {
        case .failure: return .failure(try value())
        case .welcome: return .welcome(try value())
        case .bytes: return .bytes(try value())
        case .tools: return .tools(try value())
        case .services: return .services(try value())
        case .state: return .state(try value())
        case .volumes: return .volumes(try value())
        // Present and null: no such volume. Absent is no answer at all (refused above).
        case .volume: return .volume(try fields.decodeIfPresent(Volume.self, forKey: .volume))
        case .flag: return .flag(try value())
        case .names: return .names(try value())
        case .nodes: return .nodes(try value())
        case .output:
            let output: Output = try value()
            return .output(CommandOutput(status: output.status, standardOutput: output.standardOutput, standardError: output.standardError))
        case .done:
            let done: Bool = try value()
            guard done else {
                throw DecodingError.dataCorruptedError(forKey: .done, in: fields, debugDescription: "'done' is always true")
            }
            return .done
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var identifier = encoder.container(keyedBy: Identifier.self)
        try identifier.encode(id, forKey: Identifier())
        var fields = encoder.container(keyedBy: AgentResponse.Shape.self)
        switch response {
        case .failure(let failure): try fields.encode(failure, forKey: .failure)
        case .welcome(let welcome): try fields.encode(welcome, forKey: .welcome)
        case .bytes(let bytes): try fields.encode(bytes, forKey: .bytes)
        case .tools(let tools): try fields.encode(tools, forKey: .tools)
        case .services(let services): try fields.encode(services, forKey: .services)
        case .state(let state): try fields.encode(state, forKey: .state)
        case .volumes(let volumes): try fields.encode(volumes, forKey: .volumes)
        // `encode` of an optional writes `null` for nil: the field is there either way.
        case .volume(let volume): try fields.encode(volume, forKey: .volume)
        case .flag(let flag): try fields.encode(flag, forKey: .flag)
        case .names(let names): try fields.encode(names, forKey: .names)
        case .nodes(let nodes): try fields.encode(nodes, forKey: .nodes)
        case .output(let output):
            try fields.encode(Output(status: output.status, standardOutput: output.standardOutput, standardError: output.standardError),
                              forKey: .output)
        case .done: try fields.encode(true, forKey: .done)
        }
    }
}
