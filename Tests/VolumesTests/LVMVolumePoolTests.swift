import Foundation
import HostSystem
import Testing
import Volumes

/// The LVM2 pool, against recorded `lvs` output: exact command lines and parsing.
@Suite struct LVMVolumePoolTests {
    static let lvs = ["lvs", "--reportformat", "json", "--units", "b", "--nosuffix", "-o", "lv_name,vg_name,lv_size,lv_tags", "vg0", "vg1"]

    func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// A pool over vg0 and vg1 whose `lvs` answers with the fixture `report`.
    func makePool(report: String = "lvs-vg0-vg1") throws -> (LVMVolumePool, RecordedCommandRunner) {
        let runner = RecordedCommandRunner()
        runner.expect(Self.lvs, CommandOutput(status: 0, standardOutput: try fixture(report)))
        return (try LVMVolumePool(groups: ["vg0", "vg1"], runner: runner), runner)
    }

    @Test func listParsesSizesTagsAndRolesAndSkipsUnmanagedVolumes() throws {
        let (pool, runner) = try makePool()
        #expect(try pool.list(VolumeFilter()) == [
            Volume(name: "lv_data01", group: "vg0", role: .data, size: 1_073_741_824, tags: ["rg=payroll", "site=prod"]),
            Volume(name: "lv_log", group: "vg1", role: VolumeRole("log_record_container"), size: 268_435_456, tags: ["rg=payroll"]),
            Volume(name: "lv_repl", group: "vg0", role: VolumeRole("replication_container"), size: 134_217_728),
        ])
        #expect(runner.calls == [Self.lvs])
    }

    @Test func listAppliesTheFilter() throws {
        let (pool, _) = try makePool()
        #expect(try pool.list(VolumeFilter(group: "vg0")).map(\.name) == ["lv_data01", "lv_repl"])
        #expect(try pool.list(VolumeFilter(tag: "rg=payroll")).map(\.name) == ["lv_data01", "lv_log"])
        #expect(try pool.list(VolumeFilter(role: VolumeRole("snapshot"))).isEmpty)
    }

    @Test func listReadsEmptyReportsAndReportsWithALogSection() throws {
        #expect(try makePool(report: "lvs-empty").0.list(VolumeFilter()).isEmpty)
        #expect(try makePool(report: "lvs-log-section").0.list(VolumeFilter()) == [
            Volume(name: "lv_snap", group: "vg0", role: VolumeRole("snapshot"), size: 536_870_912)
        ])
    }

    @Test func getHidesTheRoleTagAndUnmanagedVolumes() throws {
        let (pool, _) = try makePool()
        #expect(try pool.get("lv_data01")?.tags == ["rg=payroll", "site=prod"])
        #expect(try pool.get("root") == nil)
        #expect(try pool.get("lv_none") == nil)
    }

    @Test func createRunsLvcreateWithTheRoleTagThenTheSortedTags() throws {
        let (pool, runner) = try makePool()
        let create = ["lvcreate", "--yes", "-n", "lv_snapc", "-L", "268435456b",
                      "--addtag", "phasekit_role=snapshot_container", "--addtag", "rg=payroll", "--addtag", "site=dr", "vg1"]
        runner.expect(create, CommandOutput(status: 0, standardOutput: "  Logical volume \"lv_snapc\" created.\n"))
        try pool.create(Volume(name: "lv_snapc", group: "vg1", role: VolumeRole("snapshot_container"), size: 1 << 28, tags: ["site=dr", "rg=payroll"]))
        #expect(runner.calls == [Self.lvs, create])
    }

    @Test func createOfATakenNameRunsNothingButLvs() throws {
        let (pool, runner) = try makePool()
        #expect(try volumeError { try pool.create(.data("lv_data01")) }?.kind == .alreadyExists)
        #expect(try volumeError { try pool.create(.data("root")) }?.kind == .alreadyExists)
        #expect(runner.calls == [Self.lvs, Self.lvs])
    }

    @Test func createInAnUnmanagedGroupOrWithAReservedNameIsInvalid() throws {
        let (pool, runner) = try makePool()
        let foreign = Volume(name: "lv_x", group: "vg9", role: .data, size: 4096)
        #expect(try volumeError { try pool.create(foreign) }?.kind == .invalidArgument)
        for name in ["snapshot", "pvmove0", "lv_rimage_0", "data_tmeta"] {
            #expect(try volumeError { try pool.create(.data(name)) }?.kind == .invalidArgument)
        }
        #expect(runner.calls.isEmpty)
    }

    @Test func insufficientFreeSpaceIsABackendFailureWithTheToolsMessage() throws {
        let (pool, runner) = try makePool()
        let create = ["lvcreate", "--yes", "-n", "lv_huge", "-L", "1099511627776b", "--addtag", "phasekit_role=data", "vg0"]
        runner.expect(create, CommandOutput(
            status: 5,
            standardError: "  Volume group \"vg0\" has insufficient free space (5119 extents): 262144 required.\n"))
        let error = try volumeError { try pool.create(.data("lv_huge", size: 1 << 40)) }
        #expect(error == VolumeError(
            .backendFailure, volume: "lv_huge",
            "lvcreate exited with status 5: Volume group \"vg0\" has insufficient free space (5119 extents): 262144 required."))
    }

    @Test func deleteFindsTheGroupThenRunsLvremove() throws {
        let (pool, runner) = try makePool()
        runner.expect(["lvremove", "--yes", "vg1/lv_log"], CommandOutput(status: 0, standardOutput: "  Logical volume \"lv_log\" successfully removed.\n"))
        try pool.delete("lv_log")
        #expect(runner.calls == [Self.lvs, ["lvremove", "--yes", "vg1/lv_log"]])
    }

    @Test func unmanagedOrMissingVolumesAreNotFoundAndNeverChanged() throws {
        let (pool, runner) = try makePool()
        let root = try volumeError { try pool.delete("root") }
        #expect(root?.kind == .notFound)
        #expect(root?.message.contains("not managed by phasekit") == true)
        #expect(try volumeError { try pool.resize("swap", to: 4096) }?.kind == .notFound)
        #expect(try volumeError { try pool.tag("lv_none", "t") }?.kind == .notFound)
        #expect(runner.calls == [Self.lvs, Self.lvs, Self.lvs])
    }

    @Test func resizeRunsLvresizeWithBytesUnlessTheSizeIsUnchanged() throws {
        let (pool, runner) = try makePool()
        let resize = ["lvresize", "--yes", "--force", "-L", "2147483648b", "vg0/lv_data01"]
        runner.expect(resize, CommandOutput(status: 0))
        try pool.resize("lv_data01", to: 2 << 30)
        try pool.resize("lv_data01", to: 1 << 30)
        #expect(runner.calls == [Self.lvs, resize, Self.lvs])
    }

    @Test func tagAndUntagRunLvchangeOnlyWhenSomethingChanges() throws {
        let (pool, runner) = try makePool()
        let add = ["lvchange", "--addtag", "keep", "vg0/lv_repl"]
        let remove = ["lvchange", "--deltag", "site=prod", "vg0/lv_data01"]
        runner.expect(add, CommandOutput(status: 0))
        runner.expect(remove, CommandOutput(status: 0))
        try pool.tag("lv_repl", "keep")
        try pool.untag("lv_data01", "site=prod")
        try pool.tag("lv_data01", "rg=payroll")
        try pool.untag("lv_repl", "absent")
        #expect(runner.calls == [Self.lvs, add, Self.lvs, remove, Self.lvs, Self.lvs])
    }

    @Test func theRoleTagCannotBeAddedOrRemovedAsAUserTag() throws {
        let (pool, runner) = try makePool()
        #expect(try volumeError { try pool.untag("lv_data01", "phasekit_role=data") }?.kind == .invalidArgument)
        #expect(try volumeError { try pool.tag("lv_data01", "phasekit_role=snapshot") }?.kind == .invalidArgument)
        #expect(runner.calls.isEmpty)
    }

    @Test func aMissingVolumeGroupIsABackendFailure() throws {
        let runner = RecordedCommandRunner()
        let lvs = Array(Self.lvs.dropLast(2)) + ["vg9"]
        runner.expect(lvs, CommandOutput(status: 5, standardError: "  Volume group \"vg9\" not found\n  Cannot process volume group vg9\n"))
        let pool = try LVMVolumePool(groups: ["vg9"], runner: runner)
        let error = try volumeError { _ = try pool.list(VolumeFilter()) }
        #expect(error?.kind == .backendFailure)
        #expect(error?.message == "lvs exited with status 5: Volume group \"vg9\" not found; Cannot process volume group vg9")
    }

    @Test func anInvalidRoleOrBadSizeInTheReportIsABackendFailure() throws {
        for row in [#""lv_size":"1024", "lv_tags":"phasekit_role=Bogus!""#, #""lv_size":"1.5g", "lv_tags":"phasekit_role=data""#] {
            let runner = RecordedCommandRunner()
            let json = #"{"report":[{"lv":[{"lv_name":"lv_x", "vg_name":"vg0", "# + row + "}]}]}"
            runner.expect(Self.lvs, CommandOutput(status: 0, standardOutput: json))
            let pool = try LVMVolumePool(groups: ["vg0", "vg1"], runner: runner)
            let error = try volumeError { _ = try pool.list(VolumeFilter()) }
            #expect(error?.kind == .backendFailure)
            #expect(error?.volume == "lv_x")
        }
    }

    @Test func aPoolNeedsValidGroups() throws {
        #expect(throws: VolumeError.self) { try LVMVolumePool(groups: [], runner: RecordedCommandRunner()) }
        #expect(throws: VolumeError.self) { try LVMVolumePool(groups: ["../vg"], runner: RecordedCommandRunner()) }
        #expect(try LVMVolumePool(groups: ["vg0", "vg1", "vg0"], runner: RecordedCommandRunner()).groups == ["vg0", "vg1"])
    }
}
