import Foundation
public import LuaRuntime

/// Finds procedures and their steps in the script search roots: the site's `scripts/` first, then
/// the bundled `Scripts/`.
///
/// A procedure is a directory holding an optional `procedure.lua` manifest and step scripts (in
/// subdirectories for sections). A site file with the same procedure and relative path replaces
/// the bundled one; a new site file adds a step; `NAME.lua.disabled` in the site disables the
/// bundled `NAME.lua`. Each step's metadata is validated on load, with errors naming the file.
public struct ProcedureCatalog {
    /// The site's scripts directory, if any.
    public var siteRoot: String?
    /// The bundled `Scripts/` directory, if found.
    public var bundledRoot: String?
    /// The limits metadata is read under: the time limit counts from the catalog's creation, for
    /// every procedure it loads (so `phasekit list` ends within it however many there are).
    public var limits: LuaLimits
    private let createdAt = ContinuousClock.now

    public init(siteRoot: String?, bundledRoot: String?, limits: LuaLimits = .default) {
        self.siteRoot = siteRoot
        self.bundledRoot = bundledRoot
        self.limits = limits
    }

    /// ``limits`` with the time that is left of it.
    var remainingLimits: LuaLimits {
        var remaining = limits
        if let time = limits.time { remaining.time = max(.milliseconds(1), time - (ContinuousClock.now - createdAt)) }
        return remaining
    }

    /// Directories under the roots that are not procedures.
    static let reserved: Set<String> = ["lib", "examples"]

    /// The names of every procedure in either root, sorted.
    public func procedureNames() -> [String] {
        var names = Set<String>()
        for root in [siteRoot, bundledRoot].compactMap({ $0 }) {
            // A root that cannot be listed offers no procedure: naming one is then refused as unknown, never run.
            for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where !Self.reserved.contains(name) && !name.hasPrefix(".") {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue { names.insert(name) }
            }
        }
        return names.sorted()
    }

    /// Loads one procedure with all its steps.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` for an unknown procedure or invalid metadata,
    ///   naming the file (and line for Lua errors).
    public func procedure(named name: String) throws -> ProcedureDefinition {
        guard procedureNames().contains(name) else {
            throw PhaseKitError.configuration("unknown procedure '\(name)' (known: \(procedureNames().joined(separator: ", ")))")
        }
        let bundledDirectory = bundledRoot.map { $0 + "/" + name }
        let siteDirectory = siteRoot.map { $0 + "/" + name }
        let loader = try MetadataLoader(searchPath: [siteRoot, bundledRoot].compactMap { $0.map { $0 + "/lib" } }, limits: remainingLimits)
        var manifest: ProcedureManifest?
        for directory in [siteDirectory, bundledDirectory].compactMap({ $0 }) where manifest == nil {
            let path = directory + "/procedure.lua"
            if FileManager.default.fileExists(atPath: path) { manifest = try loader.manifest(path: path) }
        }

        let bundledFiles = Set(bundledDirectory.map(Self.stepFiles(in:)) ?? [])
        let siteFiles = Set(siteDirectory.map(Self.stepFiles(in:)) ?? [])
        let disabledFiles = siteDirectory.map { Self.files(in: $0, suffix: ".lua.disabled") } ?? []
        let disabled = Set(disabledFiles.map { String($0.dropLast(".disabled".count)) })
        var steps: [StepDefinition] = []
        for relative in bundledFiles.union(siteFiles).sorted() {
            let origin: StepOrigin
            let path: String
            if siteFiles.contains(relative), let siteDirectory {
                origin = bundledFiles.contains(relative) ? .siteOverride : .siteAddition
                path = siteDirectory + "/" + relative
            } else if let bundledDirectory {
                origin = disabled.contains(relative) ? .disabled : .bundled
                path = bundledDirectory + "/" + relative
            } else { continue }
            var step = try loader.step(path: path, procedure: name, relativePath: relative, origin: origin)
            if let sections = manifest?.sections, !sections.contains(step.section) {
                throw PhaseKitError.configuration("\(path): section '\(step.section)' is not one of the procedure's sections (\(sections.joined(separator: ", ")))")
            }
            if case .role(let role) = step.scope, let roles = manifest?.roles, !roles.isEmpty, !roles.contains(role) {
                throw PhaseKitError.configuration("\(path): scope '\(role)' is not one of the procedure's roles (\(roles.joined(separator: ", ")))")
            }
            step.origin = origin
            steps.append(step)
        }
        let sections = manifest?.sections ?? Array(Set(steps.map(\.section))).sorted()
        steps.sort { lhs, rhs in
            let left = (sections.firstIndex(of: lhs.section) ?? .max, lhs.order, lhs.relativePath)
            let right = (sections.firstIndex(of: rhs.section) ?? .max, rhs.order, rhs.relativePath)
            return left < right
        }
        return ProcedureDefinition(
            name: name, title: manifest?.title ?? name, description: manifest?.description ?? "",
            sections: sections, path: manifest?.path, steps: steps,
            confirmOnce: manifest?.confirmOnce ?? false, interruptible: manifest?.interruptible ?? true,
            changeProvider: manifest?.changeProvider, roles: manifest?.roles ?? [],
            unmatchedDisabledFiles: disabledFiles.filter { !bundledFiles.contains(String($0.dropLast(".disabled".count))) }
        )
    }

    /// Step scripts below a procedure directory, relative, excluding the manifest.
    static func stepFiles(in directory: String) -> [String] {
        files(in: directory, suffix: ".lua").filter { $0 != "procedure.lua" }
    }

    package static func files(in directory: String, suffix: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }.sorted()
    }
}
