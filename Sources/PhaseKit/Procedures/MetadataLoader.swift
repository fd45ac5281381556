import Foundation
package import LuaRuntime

/// Loads step scripts and manifests in a bare sandbox (no bindings) and validates what they declare.
///
/// Reading metadata runs each script's top level, so it is held to the run's limits: one clock for
/// every file it reads. Each file runs in a state of its own (continuing the clock and the
/// instruction count of the one before), so what one script's top level does to its globals
/// cannot change what the next one declares. Once a file used a limit up, the loader names that
/// file and refuses the rest without blaming them.
package final class MetadataLoader {
    /// The state for syntax checks (loading only; nothing runs in it); its clock starts the run's.
    package let lua: LuaState
    private let searchPath: [String]
    private let limits: LuaLimits
    /// The state that ran last: the next file's state continues its deadline and count.
    private var latest: LuaState
    /// The file that tripped a limit, and which limit, once one did.
    private(set) var exhaustedBy: String?
    private var exhaustedLimit: String?

    /// - Parameters:
    ///   - searchPath: where top-level `require`s of the scripts find their modules.
    ///   - limits: the run's limits (the time limit counts from now, for every file read).
    package init(searchPath: [String] = [], limits: LuaLimits = .default) throws {
        self.searchPath = searchPath
        self.limits = limits
        lua = try LuaState(limits: limits, searchPath: searchPath)
        latest = lua
    }

    /// Compiles a script (for `lint`), naming it when it uses up the limit.
    package func compile(_ path: String) throws {
        try guardLimits(path, in: lua) { _ = try lua.load(file: path) }
    }

    /// Runs `body` for `path` in `state`; a limit tripped now is blamed on `path`, one tripped
    /// before on the file that tripped it.
    private func guardLimits<R>(_ path: String, in state: LuaState, _ body: () throws -> R) throws -> R {
        if let exhaustedBy, let exhaustedLimit {
            throw PhaseKitError.configuration("\(path): not read: the \(exhaustedLimit) limit was used up by \(exhaustedBy)")
        }
        do {
            return try body()
        } catch {
            if let limit = state.trippedLimit, exhaustedBy == nil {
                exhaustedBy = path
                exhaustedLimit = limit.rawValue
            }
            throw error
        }
    }

    static let stepKeys: Set<String> = ["title", "section", "order", "description", "needs", "run", "applies", "scope"]
    package static let resources: Set<String> = ["db", "files", "services", "volumes", "hosts"]

    package func load(_ path: String) throws -> LuaTable {
        let results: [LuaValue]
        do {
            let state = try LuaState(limits: limits, searchPath: searchPath)
            state.continueLimits(from: latest)
            latest = state
            results = try guardLimits(path, in: state) { try state.call(try state.load(file: path)) }
        } catch let error as LuaError {
            throw PhaseKitError.configuration(error.message.hasPrefix(path) ? error.message : "\(path): \(error.message)")
        }
        guard case .table(let table)? = results.first else {
            throw PhaseKitError.configuration("\(path): a step script must return a table ({ title = ..., run = function(ctx) ... end })")
        }
        return table
    }

    static let manifestKeys: Set<String> = ["title", "description", "sections", "confirm", "interruptible", "change", "roles"]

    /// A role or scope name: a lowercase letter, then lowercase letters, digits, `_` and `-`.
    static func isName(_ text: String) -> Bool {
        text.range(of: "^[a-z][a-z0-9_-]*$", options: .regularExpression) != nil
    }

    /// One problem of a script's declared metadata: the field it is about (for the line) and what is wrong.
    package struct Problem: Sendable, Equatable {
        package var field: String?
        package var message: String
    }

    /// Loads a manifest; throws its first problem.
    func manifest(path: String) throws -> ProcedureManifest {
        let (manifest, problems) = checkManifest(try load(path))
        if let first = problems.first { throw PhaseKitError.configuration("\(path): \(first.message)") }
        guard var manifest else { throw PhaseKitError.internal("\(path): manifest without problems and without value") }
        manifest.path = path
        return manifest
    }

    /// Every problem of a `procedure.lua` table, and the manifest when there is none.
    package func checkManifest(_ table: LuaTable) -> (ProcedureManifest?, [Problem]) {
        var problems = Self.unknownKeys(table, allowed: Self.manifestKeys, what: "procedure.lua")
        let title = table["title"].stringValue ?? ""
        if title.isEmpty { problems.append(Problem(field: "title", message: "procedure.lua needs a title")) }
        if table["description"] != .nil && table["description"].stringValue == nil {
            problems.append(Problem(field: "description", message: "'description' must be a string"))
        }
        var sections: [String] = []
        if table["sections"] != .nil {
            if let list = table["sections"].tableValue, list.fields.isEmpty, list.array.allSatisfy({ $0.stringValue != nil }) {
                sections = list.array.compactMap(\.stringValue)
            } else {
                problems.append(Problem(field: "sections", message: "'sections' must be a list of section names"))
            }
        }
        let confirm = table["confirm"].stringValue ?? (table["confirm"] == .nil ? "phase" : "")
        if confirm != "once" && confirm != "phase" {
            problems.append(Problem(field: "confirm", message: "confirm must be \"once\" or \"phase\""))
        }
        switch table["interruptible"] {
        case .nil, .boolean: break
        default: problems.append(Problem(field: "interruptible", message: "'interruptible' must be true or false"))
        }
        var roles: [String] = []
        if table["roles"] != .nil {
            if let list = table["roles"].tableValue, list.fields.isEmpty, list.array.allSatisfy({ $0.stringValue.map(Self.isName) ?? false }) {
                roles = list.array.compactMap(\.stringValue)
            } else {
                problems.append(Problem(field: "roles", message: "'roles' must be a list of server roles"))
            }
        }
        if table["change"] != .nil && table["change"].stringValue == nil {
            problems.append(Problem(field: "change", message: "'change' must name a change provider (a string)"))
        }
        guard problems.isEmpty else { return (nil, problems) }
        return (ProcedureManifest(title: title, description: table["description"].stringValue ?? "", sections: sections,
                                  confirmOnce: confirm == "once", interruptible: table["interruptible"] != .boolean(false),
                                  changeProvider: table["change"].stringValue, roles: roles), [])
    }

    /// Loads and validates a step; throws its first problem.
    func step(path: String, procedure: String, relativePath: String, origin: StepOrigin) throws -> StepDefinition {
        let (step, problems) = checkStep(try load(path), path: path, procedure: procedure, relativePath: relativePath, origin: origin)
        if let first = problems.first { throw PhaseKitError.configuration("\(path): \(first.message)") }
        guard let step else { throw PhaseKitError.internal("\(path): step without problems and without value") }
        return step
    }

    /// Every problem of a step table, and the step when there is none.
    package func checkStep(_ table: LuaTable, path: String, procedure: String, relativePath: String, origin: StepOrigin) -> (StepDefinition?, [Problem]) {
        var problems = Self.unknownKeys(table, allowed: Self.stepKeys, what: "step")
        func fail(_ field: String, _ message: String) { problems.append(Problem(field: field, message: message)) }
        let title = table["title"].stringValue ?? ""
        if title.isEmpty { fail("title", "'title' must be a non-empty string") }
        let description = table["description"].stringValue ?? ""
        if description.isEmpty { fail("description", "'description' must be a non-empty string") }
        var order: Int64 = 0
        if case .integer(let value) = table["order"] { order = value } else { fail("order", "'order' must be an integer") }
        if case .function = table["run"] {} else { fail("run", "'run' must be a function(ctx)") }
        let directorySection = relativePath.split(separator: "/").dropLast().first.map(String.init)
        if table["section"] != .nil && table["section"].stringValue == nil { fail("section", "'section' must be a string") }
        let section = table["section"].stringValue ?? directorySection ?? procedure
        if let directorySection, section != directorySection {
            fail("section", "'section' is '\(section)' but the script lives in the section directory '\(directorySection)'")
        }
        var needs: [String] = []
        if table["needs"] != .nil {
            if let list = table["needs"].tableValue, list.fields.isEmpty {
                for item in list.array {
                    if let name = item.stringValue, Self.resources.contains(name) { needs.append(name) } else {
                        fail("needs", "'needs' lists '\(item)', which is not one of \(Self.resources.sorted().joined(separator: ", "))")
                    }
                }
            } else {
                fail("needs", "'needs' must be a list of resource names")
            }
        }
        let scopeText = table["scope"].stringValue ?? (table["scope"] == .nil ? "once" : "")
        let scope = Self.isName(scopeText) ? StepScope(scopeText) : nil
        if scope == nil { fail("scope", "'scope' must be once, each or a server role") }
        var hasPredicate = false
        switch table["applies"] {
        case .nil: break
        case .function: hasPredicate = true
        default: fail("applies", "'applies' must be a function(change) returning a boolean")
        }
        guard problems.isEmpty, let scope else { return (nil, problems) }
        let name = String(relativePath.dropLast(".lua".count))
        return (StepDefinition(
            id: "\(procedure)/\(name)", procedure: procedure, relativePath: relativePath, path: path, origin: origin,
            title: title, section: section, order: Int(order), description: description, needs: needs, scope: scope,
            hasPredicate: hasPredicate
        ), [])
    }

    private static func unknownKeys(_ table: LuaTable, allowed: Set<String>, what: String) -> [Problem] {
        table.fields.keys.compactMap { key -> Problem? in
            if let name = key.stringValue, allowed.contains(name) { return nil }
            let suggestion = key.stringValue.flatMap { name in allowed.first { Self.closeEnough($0, name) } }.map { " (did you mean '\($0)'?)" } ?? ""
            return Problem(field: key.stringValue, message: "unknown \(what) field '\(key)'\(suggestion) (expected: \(allowed.sorted().joined(separator: ", ")))")
        }.sorted { ($0.field ?? "") < ($1.field ?? "") }
    }

    /// Whether two names differ by at most two edits (a typo).
    static func closeEnough(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs), b = Array(rhs)
        guard abs(a.count - b.count) <= 2 else { return false }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count] <= 2
    }
}
