import Testing
import Volumes

/// The `VolumePool` contract, checked on every backend that runs here.
@Suite struct VolumePoolBehaviourTests {
    @Test(arguments: PoolKind.allCases)
    func createThenGetReturnsTheVolumeWithSortedUniqueTags(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            var volume = Volume.data("lv_data01", tags: ["site=prod", "rg=payroll"])
            volume.tags = ["site=prod", "rg=payroll", "site=prod"]
            try pool.create(volume)
            let stored = try #require(try pool.get("lv_data01"))
            #expect(stored == Volume(name: "lv_data01", group: "vg0", role: .data, size: 1 << 30, tags: ["rg=payroll", "site=prod"]))
            #expect(stored.tags == ["rg=payroll", "site=prod"])
        }
    }

    @Test(arguments: PoolKind.allCases)
    func getOfAMissingVolumeIsNil(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            #expect(try pool.get("lv_missing") == nil)
        }
    }

    @Test(arguments: PoolKind.allCases)
    func listIsSortedByName(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            for name in ["lv_c", "lv_a", "lv_b"] { try pool.create(.data(name)) }
            #expect(try pool.list(VolumeFilter()).map(\.name) == ["lv_a", "lv_b", "lv_c"])
        }
    }

    @Test(arguments: PoolKind.allCases)
    func listFiltersByGroupRoleAndTag(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            try pool.create(Volume(name: "d1", group: "vg0", role: .data, size: 4096, tags: ["rg=a"]))
            try pool.create(Volume(name: "d2", group: "vg1", role: .data, size: 4096, tags: ["rg=b"]))
            try pool.create(Volume(name: "r1", group: "vg0", role: VolumeRole("replication_container"), size: 4096, tags: ["rg=a"]))
            #expect(try pool.list(VolumeFilter(group: "vg0")).map(\.name) == ["d1", "r1"])
            #expect(try pool.list(VolumeFilter(role: .data)).map(\.name) == ["d1", "d2"])
            #expect(try pool.list(VolumeFilter(tag: "rg=a")).map(\.name) == ["d1", "r1"])
            #expect(try pool.list(VolumeFilter(group: "vg0", role: .data, tag: "rg=a")).map(\.name) == ["d1"])
            #expect(try pool.list(VolumeFilter(tag: "rg=zzz")).isEmpty)
        }
    }

    @Test(arguments: PoolKind.allCases)
    func creatingATakenNameFailsWithAlreadyExistsAndKeepsTheOriginal(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            try pool.create(.data("lv_x", size: 4096))
            let error = try volumeError { try pool.create(.data("lv_x", size: 8192)) }
            #expect(error?.kind == .alreadyExists)
            #expect(error?.volume == "lv_x")
            #expect(try pool.get("lv_x")?.size == 4096)
        }
    }

    @Test(arguments: PoolKind.allCases)
    func deleteRemovesTheVolume(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            try pool.create(.data("lv_x"))
            try pool.create(.data("lv_y"))
            try pool.delete("lv_x")
            #expect(try pool.get("lv_x") == nil)
            #expect(try pool.list(VolumeFilter()).map(\.name) == ["lv_y"])
        }
    }

    @Test(arguments: PoolKind.allCases)
    func changesToAMissingVolumeFailWithNotFound(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            let changes: [(any VolumePool) throws -> Void] = [
                { try $0.delete("lv_missing") },
                { try $0.resize("lv_missing", to: 4096) },
                { try $0.tag("lv_missing", "t") },
                { try $0.untag("lv_missing", "t") },
            ]
            for change in changes {
                let error = try volumeError { try change(pool) }
                #expect(error?.kind == .notFound)
                #expect(error?.volume == "lv_missing")
            }
        }
    }

    @Test(arguments: PoolKind.allCases)
    func resizeChangesTheSizeBothWays(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            try pool.create(.data("lv_x", size: 1 << 20))
            try pool.resize("lv_x", to: 3 << 20)
            #expect(try pool.get("lv_x")?.size == 3 << 20)
            try pool.resize("lv_x", to: 1 << 19)
            #expect(try pool.get("lv_x")?.size == 1 << 19)
        }
    }

    @Test(arguments: PoolKind.allCases)
    func tagAndUntagAreIdempotent(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            try pool.create(.data("lv_x", tags: ["b"]))
            try pool.tag("lv_x", "a")
            try pool.tag("lv_x", "a")
            #expect(try pool.get("lv_x")?.tags == ["a", "b"])
            try pool.untag("lv_x", "b")
            try pool.untag("lv_x", "b")
            try pool.untag("lv_x", "never-there")
            #expect(try pool.get("lv_x")?.tags == ["a"])
        }
    }
}
