import Foundation

/// A validator for the subset of JSON Schema (draft 2020-12) that `docs/report.schema.json` uses.
///
/// Supported keywords: `type`, `properties`, `required`, `additionalProperties` (boolean or
/// schema), `items`, `enum`, `const`, `pattern`, `minimum` and local `$ref`s (`#/$defs/NAME`);
/// `$schema`, `$id`, `$defs`, `title` and `description` are annotations. Any other keyword is an
/// error, so the schema cannot start using one this validator would silently ignore.
///
/// Written here rather than calling Python's `jsonschema`: it needs no extra Debian package, and it
/// runs in the test process, so every report the suite produces is checked in microseconds. The
/// end-to-end tests check every JSON document the binary prints and every report it stores; the
/// engine tests check the reports their fixtures produce.
public struct JSONSchemaValidator {
    let root: [String: Any]

    static let annotations: Set<String> = ["$schema", "$id", "$defs", "title", "description"]
    static let keywords: Set<String> = ["type", "properties", "required", "additionalProperties", "items", "enum", "const", "pattern", "minimum", "$ref"]

    /// The schema of the repository's `docs/report.schema.json`.
    public static var reports: JSONSchemaValidator {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = repository.appendingPathComponent("docs/report.schema.json")
        let data = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
        return JSONSchemaValidator(root: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    /// The definition a phasekit document is checked against, chosen by its `format`.
    static func definition(forFormat format: String?) -> String {
        switch format {
        case "phasekit-history": "#/$defs/history"
        case "phasekit-status": "#/$defs/status"
        case "phasekit-list": "#/$defs/list"
        case "phasekit-hosts": "#/$defs/hosts"
        case "phasekit-services": "#/$defs/services"
        default: "#/$defs/report"
        }
    }

    /// Every violation of the document against the schema at `reference` (the root by default),
    /// as `path: problem`; empty when the document is valid.
    public func violations(of document: Any, against reference: String? = nil) -> [String] {
        var found: [String] = []
        let schema: Any = reference.map { resolve($0) as Any } ?? root
        check(document, schema, path: "$", into: &found)
        return found
    }

    /// Validates one JSON text of phasekit's output.
    public func violations(ofJSON text: String) -> [String] {
        guard let document = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return ["$: not JSON"] }
        return violations(of: document, against: Self.definition(forFormat: (document as? [String: Any])?["format"] as? String))
    }

    private func resolve(_ reference: String) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = root
        for part in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
        return node
    }

    private func check(_ value: Any, _ schemaNode: Any?, path: String, into found: inout [String]) {
        if let flag = schemaNode as? Bool {
            if !flag { found.append("\(path): not allowed") }
            return
        }
        guard let schema = schemaNode as? [String: Any] else { return found.append("\(path): schema is not an object") }
        for key in schema.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            found.append("\(path): the validator does not support the keyword '\(key)'")
        }
        if let reference = schema["$ref"] as? String {
            guard let target = resolve(reference) else { return found.append("\(path): unresolvable $ref \(reference)") }
            check(value, target, path: path, into: &found)
        }
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [(type as? String) ?? ""]
            if !types.contains(where: { Self.matches(value, type: $0) }) { found.append("\(path): expected \(types.joined(separator: " or "))") }
        }
        if let constant = schema["const"], !Self.equal(value, constant) { found.append("\(path): expected \(constant)") }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal(value, $0) }) {
            found.append("\(path): \(value) is not one of \(options)")
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): '\(text)' does not match \(pattern)")
        }
        if let minimum = schema["minimum"] as? NSNumber, let number = value as? NSNumber, !(value is Bool),
           number.doubleValue < minimum.doubleValue {
            found.append("\(path): \(number) is below \(minimum)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { found.append("\(path): missing '\(name)'") }
            for (name, member) in object {
                if let property = properties[name] {
                    check(member, property, path: "\(path).\(name)", into: &found)
                } else if let additional = schema["additionalProperties"] {
                    if (additional as? Bool) == false { found.append("\(path): unexpected property '\(name)'") }
                    else { check(member, additional, path: "\(path).\(name)", into: &found) }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { check(item, items, path: "\(path)[\(index)]", into: &found) }
        }
    }

    private static func isBoolean(_ value: Any) -> Bool {
        // JSONSerialization gives booleans as NSNumbers of Objective-C type `c` (char).
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "boolean": isBoolean(value)
        case "null": value is NSNull
        case "integer": !isBoolean(value) && (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } == true
        case "number": !isBoolean(value) && value is NSNumber
        default: false
        }
    }

    private static func equal(_ lhs: Any, _ rhs: Any) -> Bool {
        if isBoolean(lhs) != isBoolean(rhs) { return false }
        if let left = lhs as? NSNumber, let right = rhs as? NSNumber { return left == right }
        if let left = lhs as? String, let right = rhs as? String { return left == right }
        return false
    }
}
