import Foundation
public import LuaRuntime
import Yams

/// A node of a YAML file with its place (file, line, key path), so every error names where it is.
///
/// Readers refuse wrong types and unknown keys with
/// `PhaseKitError.configuration("site.yaml:12: services.definitions[0].command: ...")`.
public struct YAMLNode {
    let node: Node
    /// The file the node was read from.
    public let file: String
    /// The key path of the node (`servers[0].role`), empty at the root.
    public let path: String

    /// Parses a whole file.
    public static func load(file: String) throws -> YAMLNode {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw PhaseKitError.configuration("\(file): cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PhaseKitError.configuration("\(file): not UTF-8 text")
        }
        return try parse(text, file: file)
    }

    /// Parses YAML text; syntax errors name the line.
    public static func parse(_ text: String, file: String) throws -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PhaseKitError.configuration("\(file):1: the file is empty")
            }
            var count = 0
            try checkSize(node, count: &count, limit: maximumNodes(forBytes: text.utf8.count), depth: 0, file: file)
            return YAMLNode(node: node, file: file, path: "")
        } catch let error as YamlError {
            throw PhaseKitError.configuration(Self.describe(error, file: file))
        }
    }

    /// At least this many nodes are allowed once aliases are expanded: a few lines of aliases to
    /// aliases (an "alias bomb") would otherwise expand to billions of nodes when the file is read.
    static let maximumNodes = 100_000

    /// The nodes a document of `bytes` bytes may expand to: ``maximumNodes``, or one per byte for a
    /// larger file. Every literal node takes at least one byte of text, so only aliases can pass
    /// it: a large configuration written out in full (a replication group with 10,000 volumes per
    /// server) is read, a bomb is still refused.
    static func maximumNodes(forBytes bytes: Int) -> Int { max(maximumNodes, bytes) }
    /// At most this deep.
    static let maximumDepth = 64

    /// Walks the composed document (aliases share their anchor's node, so the walk sees the
    /// expansion) and refuses it past ``maximumNodes`` or ``maximumDepth``, naming the line.
    private static func checkSize(_ node: Node, count: inout Int, limit: Int, depth: Int, file: String) throws {
        count += 1
        let line = node.mark?.line ?? 1
        guard count <= limit else {
            throw PhaseKitError.configuration(
                "\(file):\(line): the document expands to more than \(limit) nodes (YAML aliases repeat what they name; an alias bomb?)")
        }
        guard depth <= maximumDepth else {
            throw PhaseKitError.configuration("\(file):\(line): nested more than \(maximumDepth) levels deep")
        }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                try checkSize(key, count: &count, limit: limit, depth: depth + 1, file: file)
                try checkSize(value, count: &count, limit: limit, depth: depth + 1, file: file)
            }
        case .sequence(let sequence):
            for element in sequence { try checkSize(element, count: &count, limit: limit, depth: depth + 1, file: file) }
        case .scalar, .alias:
            break
        }
    }

    /// `file:LINE: problem` for Yams' scanner, parser and reader errors.
    private static func describe(_ error: YamlError, file: String) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            // An error with a context (an unterminated quote, an unclosed bracket) is found where the
            // text ends; the line to fix is where that construct starts.
            guard let context, context.mark.line != mark.line else { return "\(file):\(mark.line): \(problem)" }
            return "\(file):\(context.mark.line): \(context.text) that starts here: \(problem) at line \(mark.line)"
        case .reader(let problem, let offset, _, let yaml):
            let line = offset.map { 1 + yaml.utf8.prefix($0).filter { $0 == UInt8(ascii: "\n") }.count } ?? 1
            return "\(file):\(line): \(problem)"
        default:
            return "\(file):1: \(error)"
        }
    }

    /// The node's line in its file.
    public var line: Int { node.mark?.line ?? 1 }

    public func error(_ message: String) -> PhaseKitError {
        .configuration("\(file):\(line): \(path.isEmpty ? "" : path + ": ")\(message)")
    }

    /// The mapping's entries; keys outside `allowed` are refused to catch typos.
    public func mapping(allowed: Set<String>) throws -> [String: YAMLNode] {
        guard let mapping = node.mapping else { throw error("expected a mapping") }
        var entries: [String: YAMLNode] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw error("keys must be strings") }
            let child = YAMLNode(node: value, file: file, path: path.isEmpty ? name : "\(path).\(name)")
            guard allowed.contains(name) else {
                throw child.error("unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            entries[name] = child
        }
        return entries
    }

    public func sequence() throws -> [YAMLNode] {
        guard let sequence = node.sequence else { throw error("expected a list") }
        return sequence.enumerated().map { YAMLNode(node: $0.element, file: file, path: "\(path)[\($0.offset)]") }
    }

    public func string() throws -> String {
        guard let scalar = node.scalar else { throw error("expected a string") }
        return scalar.string
    }

    public func integer() throws -> Int {
        guard let value = node.int else { throw error("expected a whole number") }
        return value
    }

    /// A finite number within `range`.
    public func number(in range: ClosedRange<Double> = -1e15...1e15) throws -> Double {
        guard let value = node.float ?? node.int.map(Double.init), value.isFinite else { throw error("expected a finite number") }
        guard range.contains(value) else { throw error("must be between \(range.lowerBound) and \(range.upperBound)") }
        return value
    }

    /// A whole number within `range`.
    public func integer(in range: ClosedRange<Int>) throws -> Int {
        let value = try integer()
        guard range.contains(value) else { throw error("must be between \(range.lowerBound) and \(range.upperBound)") }
        return value
    }

    public func bool() throws -> Bool {
        guard let value = node.bool else { throw error("expected true or false") }
        return value
    }

    public func strings() throws -> [String] {
        try sequence().map { try $0.string() }
    }

    /// The node as a plain Lua value (mappings become tables with string keys).
    public func luaValue() throws -> LuaValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil { return .nil }
                if let value = node.bool { return .boolean(value) }
                if let value = node.int { return .integer(Int64(value)) }
                if let value = node.float { return .number(value) }
            }
            return .text(scalar.string)
        case .sequence:
            return .table(LuaTable(array: try sequence().map { try $0.luaValue() }))
        case .mapping(let mapping):
            var table = LuaTable()
            for (key, value) in mapping {
                guard let name = key.string else { throw error("keys must be strings") }
                table[name] = try YAMLNode(node: value, file: file, path: "\(path).\(name)").luaValue()
            }
            return .table(table)
        case .alias:
            throw error("YAML aliases are not supported")
        }
    }
}
