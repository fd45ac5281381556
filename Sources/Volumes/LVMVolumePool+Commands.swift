import HostSystem

extension LVMVolumePool {
    /// The `lvs` command line that reports every LV of the managed groups.
    public var listCommand: [String] {
        ["lvs", "--reportformat", "json", "--units", "b", "--nosuffix", "-o", "lv_name,vg_name,lv_size,lv_tags"] + groups
    }

    /// Checks a name against the generic rules and LVM2's reserved names.
    func checkName(_ name: String) throws(VolumeError) {
        try VolumeValidation.checkName(name)
        if Self.reservedNames.contains(name) || name.hasPrefix("pvmove") {
            throw VolumeError(.invalidArgument, volume: name, "\"\(name)\" is reserved by LVM2")
        }
        if let reserved = Self.reservedSubstrings.first(where: { name.contains($0) }) {
            throw VolumeError(.invalidArgument, volume: name, "LV names may not contain \(reserved), reserved by LVM2")
        }
    }

    /// Every LV of the managed groups, as `lvs` reports them.
    ///
    /// - Parameter volume: the volume errors name; empty for a listing.
    func rows(for volume: String = "") throws -> [LVMReport.Row] {
        let output = try run(listCommand, volume: volume)
        do {
            return try LVMReport.parse(output.standardOutput).rows.filter { groups.contains($0.vgName) }
        } catch {
            throw VolumeError(.backendFailure, volume: volume, "cannot parse lvs output: \(error)")
        }
    }

    /// The managed LV named `name` among `rows`.
    ///
    /// - Returns: its row, or `nil` when no LV has that name or it lacks a role tag.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/backendFailure`` when managed LVs of
    ///   that name exist in several groups.
    func managed(_ name: String, in rows: [LVMReport.Row]) throws -> LVMReport.Row? {
        let matches = try rows.filter { try $0.lvName == name && $0.volume() != nil }
        guard matches.count <= 1 else {
            let groups = matches.map(\.vgName).joined(separator: ", ")
            throw VolumeError(.backendFailure, volume: name, "managed logical volumes of this name in several groups: \(groups)")
        }
        return matches.first
    }

    /// Validates `name` and finds its managed LV.
    ///
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/notFound`` when there is none; the
    ///   message says when an LV of that name exists without a role tag.
    func locate(_ name: String) throws -> LVMReport.Row {
        try checkName(name)
        let all = try rows(for: name)
        if let row = try managed(name, in: all) { return row }
        if let foreign = all.first(where: { $0.lvName == name }) {
            throw VolumeError(
                .notFound, volume: name,
                "logical volume \(foreign.vgName)/\(name) is not managed by phasekit (no \(VolumeValidation.reservedTagPrefix) tag)")
        }
        throw VolumeError(.notFound, volume: name, "no such logical volume in \(groups.joined(separator: ", "))")
    }

    /// Runs an LVM2 command and requires it to exit 0.
    ///
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/backendFailure`` with the tool's stderr.
    @discardableResult
    func run(_ arguments: [String], volume: String) throws -> CommandOutput {
        let output: CommandOutput
        do {
            output = try runner.run(arguments, timeout: timeout)
        } catch let error as CommandError {
            throw VolumeError(.backendFailure, volume: volume, error.description)
        }
        guard output.status == 0 else {
            let stderr = output.standardError.split(separator: "\n")
                .map { $0.trimmingPrefix(while: { $0 == " " }) }.joined(separator: "; ")
            throw VolumeError(
                .backendFailure, volume: volume,
                "\(arguments.first ?? "command") exited with status \(output.status): \(stderr)")
        }
        return output
    }
}
