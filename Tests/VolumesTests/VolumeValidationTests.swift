import Testing
import Volumes

/// Names, sizes and tags are rejected before anything is touched, by every backend.
@Suite struct VolumeValidationTests {
    static let badNames = [
        "", "../x", "a/b", "/etc/passwd", ".hidden", "..", ".", "-rf", "a b", "lv*", "lv\u{e9}", "a\u{0}b",
        String(repeating: "n", count: 128),
    ]
    static let badTags = ["", "a,b", "has space", "-leading", "caf\u{e9}", String(repeating: "t", count: 129), "phasekit_role=data"]

    @Test(arguments: PoolKind.allCases, badNames)
    func badNamesAreRejectedEverywhere(kind: PoolKind, name: String) throws {
        try withPool(kind) { (pool) throws in
            let attempts: [(any VolumePool) throws -> Void] = [
                { try $0.create(.data(name)) },
                { _ = try $0.get(name) },
                { try $0.delete(name) },
                { try $0.resize(name, to: 4096) },
                { try $0.tag(name, "t") },
                { try $0.untag(name, "t") },
            ]
            for attempt in attempts {
                #expect(try volumeError { try attempt(pool) }?.kind == .invalidArgument)
            }
            #expect(try pool.list(VolumeFilter()).isEmpty)
        }
    }

    @Test(arguments: PoolKind.allCases)
    func goodNamesAtTheLimitsAreAccepted(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            for name in ["a", "lv_p520-95_0001", "x.y+z-w", "9start", String(repeating: "n", count: 127)] {
                try pool.create(.data(name, size: 4096))
            }
            #expect(try pool.list(VolumeFilter()).count == 5)
        }
    }

    @Test(arguments: PoolKind.allCases, ["../vg", "", "vg/0", "-vg"])
    func badGroupNamesAreRejected(kind: PoolKind, group: String) throws {
        try withPool(kind) { (pool) throws in
            let error = try volumeError { try pool.create(Volume(name: "lv", group: group, role: .data, size: 4096)) }
            #expect(error?.kind == .invalidArgument)
            #expect(error?.volume == "lv")
        }
    }

    @Test(arguments: PoolKind.allCases, [Int64(0), -1, Int64.min, VolumeValidation.maximumSize + 1, Int64.max])
    func badSizesAreRejected(kind: PoolKind, size: Int64) throws {
        try withPool(kind) { (pool) throws in
            #expect(try volumeError { try pool.create(.data("lv_x", size: size)) }?.kind == .invalidArgument)
            try pool.create(.data("lv_y", size: 4096))
            #expect(try volumeError { try pool.resize("lv_y", to: size) }?.kind == .invalidArgument)
            #expect(try pool.get("lv_y")?.size == 4096)
            #expect(try pool.get("lv_x") == nil)
        }
    }

    @Test(arguments: PoolKind.allCases, badTags)
    func badTagsAreRejected(kind: PoolKind, tag: String) throws {
        try withPool(kind) { (pool) throws in
            #expect(try volumeError { try pool.create(.data("lv_x", tags: [tag])) }?.kind == .invalidArgument)
            #expect(try pool.get("lv_x") == nil)
            try pool.create(.data("lv_y"))
            #expect(try volumeError { try pool.tag("lv_y", tag) }?.kind == .invalidArgument)
            #expect(try volumeError { try pool.untag("lv_y", tag) }?.kind == .invalidArgument)
        }
    }

    @Test(arguments: PoolKind.allCases)
    func theWholeTagCharsetIsAccepted(kind: PoolKind) throws {
        try withPool(kind) { (pool) throws in
            let tag = "Az09_+.-/=!:&#" + String(repeating: "t", count: 114)
            try pool.create(.data("lv_x", tags: [tag]))
            #expect(try pool.get("lv_x")?.tags == [tag])
        }
    }

    @Test func theMaximumSizeIsSixteenTebibytes() {
        #expect(VolumeValidation.maximumSize == 17_592_186_044_416)
    }
}
