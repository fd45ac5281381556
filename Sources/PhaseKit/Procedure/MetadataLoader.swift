import Foundation
import LuaRuntime

/// Loads step scripts and manifests in a bare sandbox (no bindings) and validates what they declare.
///
/// Reading metadata runs each script's top level, so it is held to the run's limits: one clock for
/// every file it reads. Each file runs in a state of its own (continuing the clock and the
/// instruction count of the one before), so what one script's top level does to its globals
/// cannot change what the next one declares. Once a file used a limit up, the loader names that
/// file and refuses the rest without blaming them.
final class MetadataLoader {
    /// The state for syntax checks (loading only; nothing runs in it); its clock starts the run's.
    let lua: LuaState
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
    init(searchPath: [String] = [], limits: LuaLimits = .default) throws {
        self.searchPath = searchPath
        self.limits = limits
        lua = try LuaState(limits: limits, searchPath: searchPath)
        latest = lua
    }

    /// Compiles a script (for `lint`), naming it when it uses up the limit.
    func compile(_ path: String) throws {
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
    static let resources: Set<String> = ["db", "files", "services", "volumes", "hosts"]

    private func load(_ path: String) throws -> LuaTable {
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

    func manifest(path: String) throws -> (title: String, description: String, sections: [String], path: String, confirmOnce: Bool, interruptible: Bool) {
        let table = try load(path)
        guard let title = table["title"].stringValue, !title.isEmpty else {
            throw PhaseKitError.configuration("\(path): procedure.lua needs a title")
        }
        let sections = (table["sections"].tableValue?.array ?? []).compactMap(\.stringValue)
        let confirm = table["confirm"].stringValue ?? "phase"
        guard confirm == "once" || confirm == "phase" else {
            throw PhaseKitError.configuration("\(path): confirm must be \"once\" or \"phase\"")
        }
        let interruptible = table["interruptible"] != .boolean(false)
        return (title, table["description"].stringValue ?? "", sections, path, confirm == "once", interruptible)
    }

    func step(path: String, procedure: String, relativePath: String, origin: StepOrigin) throws -> StepDefinition {
        let table = try load(path)
        func fail(_ message: String) -> PhaseKitError { .configuration("\(path): \(message)") }
        for key in table.fields.keys {
            guard let name = key.stringValue, Self.stepKeys.contains(name) else {
                throw fail("unknown field '\(key)' (expected: \(Self.stepKeys.sorted().joined(separator: ", ")))")
            }
        }
        guard let title = table["title"].stringValue, !title.isEmpty else { throw fail("'title' must be a non-empty string") }
        guard let description = table["description"].stringValue, !description.isEmpty else { throw fail("'description' must be a non-empty string") }
        guard case .integer(let order) = table["order"] else { throw fail("'order' must be an integer") }
        guard case .function = table["run"] else { throw fail("'run' must be a function(ctx)") }
        let directorySection = relativePath.split(separator: "/").dropLast().first.map(String.init)
        let section = table["section"].stringValue ?? directorySection ?? procedure
        if let directorySection, section != directorySection {
            throw fail("'section' is '\(section)' but the script lives in the section directory '\(directorySection)'")
        }
        var needs: [String] = []
        if table["needs"] != .nil {
            guard let list = table["needs"].tableValue, list.fields.isEmpty else { throw fail("'needs' must be a list of resource names") }
            for item in list.array {
                guard let name = item.stringValue, Self.resources.contains(name) else {
                    throw fail("'needs' lists '\(item)', which is not one of \(Self.resources.sorted().joined(separator: ", "))")
                }
                needs.append(name)
            }
        }
        let scopeName = table["scope"].stringValue ?? "once"
        guard let scope = StepScope(rawValue: scopeName) else {
            throw fail("'scope' must be one of \(StepScope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var hasPredicate = false
        switch table["applies"] {
        case .nil: break
        case .function: hasPredicate = true
        default: throw fail("'applies' must be a function(change) returning a boolean")
        }
        let name = String(relativePath.dropLast(".lua".count))
        return StepDefinition(
            id: "\(procedure)/\(name)", procedure: procedure, relativePath: relativePath, path: path, origin: origin,
            title: title, section: section, order: Int(order), description: description, needs: needs, scope: scope,
            hasPredicate: hasPredicate
        )
    }
}
