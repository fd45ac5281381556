import HostSystem
import Testing
import Volumes

/// Copying pools into memory, to simulate planned changes.
@Suite struct InMemoryVolumePoolTests {
    @Test func copyingADirPoolSnapshotsItsVolumes() throws {
        try withTemporaryDirectory { (directory) throws in
            let dir = try DirVolumePool(directory: directory)
            try dir.create(.data("lv_a", tags: ["x"]))
            try dir.create(Volume(name: "lv_b", group: "vg1", role: VolumeRole("snapshot"), size: 4096))
            let plan = try InMemoryVolumePool(copying: dir)
            #expect(try plan.list(VolumeFilter()) == dir.list(VolumeFilter()))
            try plan.delete("lv_a")
            #expect(try dir.get("lv_a") != nil, "changing the copy leaves the source alone")
        }
    }

    @Test func copyingAnInMemoryPoolIsIndependent() throws {
        let source = try InMemoryVolumePool([.data("lv_a"), .data("lv_b")])
        let copy = try InMemoryVolumePool(copying: source)
        try copy.resize("lv_a", to: 4096)
        try source.delete("lv_b")
        #expect(try source.get("lv_a")?.size == 1 << 30)
        #expect(try copy.list(VolumeFilter()).map(\.name) == ["lv_a", "lv_b"])
    }

    @Test func copyingAnLVMPoolKeepsOnlyManagedVolumes() throws {
        let runner = RecordedCommandRunner()
        runner.expect(LVMVolumePoolTests.lvs, CommandOutput(status: 0, standardOutput: try LVMVolumePoolTests().fixture("lvs-vg0-vg1")))
        let copy = try InMemoryVolumePool(copying: LVMVolumePool(groups: ["vg0", "vg1"], runner: runner))
        #expect(try copy.list(VolumeFilter()).map(\.name) == ["lv_data01", "lv_log", "lv_repl"])
        #expect(copy.backendName == "memory")
    }

    @Test func initialVolumesAreValidatedAndUnique() throws {
        #expect(throws: VolumeError(.alreadyExists, volume: "lv_a", "a volume with this name already exists")) {
            try InMemoryVolumePool([.data("lv_a"), .data("lv_a")])
        }
        #expect(throws: VolumeError.self) { try InMemoryVolumePool([.data("../a")]) }
    }
}
