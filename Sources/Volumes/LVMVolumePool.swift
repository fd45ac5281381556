public import HostSystem

/// Logical volumes of LVM2 volume groups, driven through LVM2's command-line tools.
///
/// The pool manages the volume groups it is configured with. A volume's role is stored as
/// the LV tag `phasekit_role=ROLE`, hidden from ``Volume/tags``; LVs without it (the root
/// LV, say) are not phasekit's: `list` and `get` skip them, changes to them fail with
/// ``VolumeError/Kind/notFound``, and creating one of their names fails with
/// ``VolumeError/Kind/alreadyExists``.
///
/// Commands, all run through the ``CommandRunner``:
/// - list: `lvs --reportformat json --units b --nosuffix -o lv_name,vg_name,lv_size,lv_tags VG...`
/// - create: `lvcreate --yes -n NAME -L SIZEb --addtag phasekit_role=ROLE [--addtag TAG...] VG`
/// - delete: `lvremove --yes VG/NAME`
/// - resize: `lvresize --yes --force -L SIZEb VG/NAME`
/// - tag, untag: `lvchange --addtag TAG VG/NAME`, `lvchange --deltag TAG VG/NAME`
///
/// Changes address an LV by name alone, so each first runs `lvs` to find its group.
/// LVM2 rounds sizes up to whole extents, so a created volume may be larger than asked.
/// A tool that exits non-zero fails with ``VolumeError/Kind/backendFailure`` carrying its stderr.
public final class LVMVolumePool: VolumePool, Sendable {
    /// LV names LVM2 reserves.
    static let reservedNames: Set<String> = ["snapshot", "pvmove"]
    /// Substrings LVM2 reserves for its internal LVs.
    static let reservedSubstrings = [
        "_cdata", "_cmeta", "_corig", "_iorig", "_mimage", "_mlog", "_pmspare", "_rimage", "_rmeta",
        "_tdata", "_tmeta", "_vdata", "_vorigin", "_wcorig",
    ]

    public let backendName = "lvm"
    /// The volume groups this pool manages, in configuration order.
    public let groups: [String]
    /// Runs the LVM2 tools.
    public let runner: any CommandRunner
    /// How long one LVM2 command may run.
    public let timeout: Duration

    /// Makes a pool over `groups`.
    ///
    /// - Parameters:
    ///   - groups: the volume groups to manage; at least one, duplicates ignored.
    ///   - runner: runs the LVM2 tools; a ``RecordedCommandRunner`` in tests.
    ///   - timeout: how long one LVM2 command may run.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument`` for no group or a bad group name.
    public init(groups: [String], runner: any CommandRunner = ProcessCommandRunner(), timeout: Duration = .seconds(120))
        throws
    {
        guard !groups.isEmpty else { throw VolumeError(.invalidArgument, volume: "", "an lvm pool needs a volume group") }
        for group in groups { try VolumeValidation.checkName(group, what: "volume group") }
        var seen: Set<String> = []
        self.groups = groups.filter { seen.insert($0).inserted }
        self.runner = runner
        self.timeout = timeout
    }

    public func list(_ filter: VolumeFilter) throws -> [Volume] {
        try rows().compactMap { try $0.volume() }.filter(filter.matches).sorted { $0.name < $1.name }
    }

    public func get(_ name: String) throws -> Volume? {
        try checkName(name)
        return try managed(name, in: rows(for: name))?.volume()
    }

    public func create(_ volume: Volume) throws {
        try VolumeValidation.checkVolume(volume)
        try checkName(volume.name)
        guard groups.contains(volume.group) else {
            throw VolumeError(
                .invalidArgument, volume: volume.name,
                "volume group \(volume.group) is not managed by this pool (\(groups.joined(separator: ", ")))")
        }
        if let existing = try rows(for: volume.name).first(where: { $0.lvName == volume.name }) {
            throw VolumeError(.alreadyExists, volume: volume.name, "logical volume \(existing.vgName)/\(volume.name) exists")
        }
        var arguments = ["lvcreate", "--yes", "-n", volume.name, "-L", "\(volume.size)b"]
        arguments += ["--addtag", VolumeValidation.reservedTagPrefix + volume.role.rawValue]
        for tag in Array(Set(volume.tags)).sorted() { arguments += ["--addtag", tag] }
        try run(arguments + [volume.group], volume: volume.name)
    }

    public func delete(_ name: String) throws {
        let row = try locate(name)
        try run(["lvremove", "--yes", "\(row.vgName)/\(name)"], volume: name)
    }

    public func resize(_ name: String, to size: Int64) throws {
        try VolumeValidation.checkSize(size, volume: name)
        let row = try locate(name)
        guard try row.volume()?.size != size else { return }
        try run(["lvresize", "--yes", "--force", "-L", "\(size)b", "\(row.vgName)/\(name)"], volume: name)
    }

    public func tag(_ name: String, _ tag: String) throws {
        try VolumeValidation.checkTag(tag, volume: name)
        let row = try locate(name)
        guard !row.tags.contains(tag) else { return }
        try run(["lvchange", "--addtag", tag, "\(row.vgName)/\(name)"], volume: name)
    }

    public func untag(_ name: String, _ tag: String) throws {
        try VolumeValidation.checkTag(tag, volume: name)
        let row = try locate(name)
        guard row.tags.contains(tag) else { return }
        try run(["lvchange", "--deltag", tag, "\(row.vgName)/\(name)"], volume: name)
    }
}
