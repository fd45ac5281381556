import Dispatch
import Foundation
import Synchronization
import Testing
@testable import Volumes

#if canImport(Glibc)
import Glibc
#endif

/// The directory pool's files, durability and locking.
@Suite struct DirVolumePoolTests {
    /// `stat` of a file in `directory`, or `nil` when it is missing.
    func status(_ directory: URL, _ file: String) -> stat? {
        var info = stat()
        return stat(directory.appendingPathComponent(file).path, &info) == 0 ? info : nil
    }

    func entries(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func createMakesASparseImageOfTheSizeAndAMetadataFile() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory)
            try pool.create(.data("lv_big", size: 4 << 30))
            let image = try #require(status(directory, "lv_big.img"))
            #expect(image.st_size == 4 << 30)
            #expect(Int64(image.st_blocks) * 512 < 1 << 20, "a 4 GiB image must allocate almost nothing")
            #expect(try entries(directory) == [".phasekit-pool.lock", "lv_big.img", "lv_big.volume.json"])
        }
    }

    @Test func metadataIsReadableJSONWithTheCreationTime() throws {
        try withTemporaryDirectory { (directory) throws in
            let before = Date().timeIntervalSince1970.rounded(.down)
            try DirVolumePool(directory: directory).create(
                Volume(name: "lv_repl", group: "vg1", role: VolumeRole("replication_container"), size: 4096, tags: ["rg=a"]))
            let data = try Data(contentsOf: directory.appendingPathComponent("lv_repl.volume.json"))
            let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(json["name"] as? String == "lv_repl")
            #expect(json["group"] as? String == "vg1")
            #expect(json["role"] as? String == "replication_container")
            #expect(json["size"] as? Int == 4096)
            #expect(json["tags"] as? [String] == ["rg=a"])
            let stamp = try #require(json["created"] as? String)
            let created = try #require(ISO8601DateFormatter().date(from: stamp))
            #expect(created.timeIntervalSince1970 >= before)
            #expect(created.timeIntervalSince1970 <= Date().timeIntervalSince1970)
        }
    }

    @Test func volumesSurviveReopeningThePool() throws {
        try withTemporaryDirectory { (directory) throws in
            do {
                let pool = try DirVolumePool(directory: directory)
                try pool.create(.data("lv_a", tags: ["x"]))
                try pool.create(Volume(name: "lv_b", group: "vg1", role: VolumeRole("snapshot"), size: 8192))
                try pool.resize("lv_a", to: 2 << 30)
                try pool.tag("lv_b", "keep")
            }
            let reopened = try DirVolumePool(directory: directory)
            #expect(try reopened.list(VolumeFilter()) == [
                Volume(name: "lv_a", group: "vg0", role: .data, size: 2 << 30, tags: ["x"]),
                Volume(name: "lv_b", group: "vg1", role: VolumeRole("snapshot"), size: 8192, tags: ["keep"]),
            ])
        }
    }

    @Test func resizeChangesTheImageLengthAndStaysSparse() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory)
            try pool.create(.data("lv_x", size: 1 << 20))
            try pool.resize("lv_x", to: 8 << 30)
            #expect(status(directory, "lv_x.img")?.st_size == 8 << 30)
            #expect(Int64(status(directory, "lv_x.img")?.st_blocks ?? .max) * 512 < 1 << 20)
            try pool.resize("lv_x", to: 4096)
            #expect(status(directory, "lv_x.img")?.st_size == 4096)
        }
    }

    @Test func deleteRemovesBothFiles() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory)
            try pool.create(.data("lv_x"))
            try pool.delete("lv_x")
            #expect(try entries(directory) == [".phasekit-pool.lock"])
        }
    }

    @Test func anOrphanImageIsIgnoredByListAndReplacedByCreate() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory)
            // A crash after the image's rename and before the metadata's: an image without metadata.
            try Data("stale".utf8).write(to: directory.appendingPathComponent("lv_x.img"))
            #expect(try pool.list(VolumeFilter()).isEmpty)
            #expect(try pool.get("lv_x") == nil)
            #expect(try volumeError { try pool.delete("lv_x") }?.kind == .notFound)
            try pool.create(.data("lv_x", size: 1 << 20))
            #expect(try pool.get("lv_x")?.size == 1 << 20)
            #expect(status(directory, "lv_x.img")?.st_size == 1 << 20)
        }
    }

    @Test func removeOrphansDeletesImagesWithoutMetadataAndTemporaryFiles() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory)
            try pool.create(.data("lv_kept"))
            for file in ["lv_orphan.img", ".lv_kept.volume.json.tmp", "notes.txt"] {
                try Data().write(to: directory.appendingPathComponent(file))
            }
            #expect(try pool.removeOrphans() == [".lv_kept.volume.json.tmp", "lv_orphan.img"])
            #expect(try entries(directory) == [".phasekit-pool.lock", "lv_kept.img", "lv_kept.volume.json", "notes.txt"])
            #expect(try pool.list(VolumeFilter()).map(\.name) == ["lv_kept"])
        }
    }

    @Test func corruptMetadataIsABackendFailureNamingTheVolume() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory)
            try Data("{not json".utf8).write(to: directory.appendingPathComponent("lv_bad.volume.json"))
            let error = try volumeError { _ = try pool.list(VolumeFilter()) }
            #expect(error?.kind == .backendFailure)
            #expect(error?.volume == "lv_bad")
        }
    }

    @Test func metadataNamingAnotherVolumeOrANewerFormatIsABackendFailure() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory)
            try pool.create(.data("lv_a"))
            let source = directory.appendingPathComponent("lv_a.volume.json")
            try FileManager.default.copyItem(at: source, to: directory.appendingPathComponent("lv_b.volume.json"))
            #expect(try volumeError { _ = try pool.get("lv_b") }?.kind == .backendFailure)
            try FileManager.default.removeItem(at: directory.appendingPathComponent("lv_b.volume.json"))
            var json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any])
            #expect(json["format"] as? Int == 1)
            json["format"] = 2
            try JSONSerialization.data(withJSONObject: json).write(to: source)
            let failure = try #require(try volumeError { _ = try pool.get("lv_a") })
            #expect(failure.kind == .backendFailure)
            #expect(failure.message.contains("format 2"))
        }
    }

    @Test func traversalNamesNeverTouchFilesOutsideThePool() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory.appendingPathComponent("pool"))
            for name in ["../escaped", "a/b", ".hidden"] {
                #expect(try volumeError { try pool.create(.data(name)) }?.kind == .invalidArgument)
            }
            #expect(try entries(directory) == ["pool"])
            #expect(try entries(directory.appendingPathComponent("pool")) == [])
        }
    }

    @Test func concurrentCreatesOfOneNameLetExactlyOneWin() throws {
        try withTemporaryDirectory { (directory) throws in
            let pools = [try DirVolumePool(directory: directory), try DirVolumePool(directory: directory)]
            let outcomes = Outcomes()
            for round in 0..<40 {
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    do {
                        try pools[index].create(.data("lv_\(round)", size: Int64(4096 * (index + 1))))
                        outcomes.record("won")
                    } catch let error as VolumeError {
                        outcomes.record(error.kind.rawValue)
                    } catch {
                        outcomes.record("\(error)")
                    }
                }
            }
            #expect(outcomes.counts == ["won": 40, "alreadyExists": 40])
            #expect(try pools[0].list(VolumeFilter()).count == 40)
        }
    }

    @Test func readingAPoolCreatesNothingAndAChangeTakesTheLock() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory)
            #expect(try pool.list(VolumeFilter()).isEmpty)
            #expect(try pool.get("lv_x") == nil)
            #expect(try entries(directory) == [], "a read created the lock file")
            try pool.create(.data("lv_x"))
            #expect(try entries(directory) == [".phasekit-pool.lock", "lv_x.img", "lv_x.volume.json"])
            #expect(try pool.list(VolumeFilter()).map(\.name) == ["lv_x"])
        }
    }

    @Test func aChangeWaitsForAnotherProcessHoldingTheLock() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory, lockTimeout: .seconds(10))
            let lockPath = directory.appendingPathComponent(DirVolumePool.lockFileName).path
            let holder = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)   // not inherited by what other tests spawn meanwhile (a child would hold the lock)
            #expect(holder >= 0)
            #expect(flock(holder, LOCK_EX) == 0)
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                try? pool.create(.data("lv_waiting"))
                done.signal()
            }
            #expect(done.wait(timeout: .now() + 0.3) == .timedOut, "create must wait for the lock")
            #expect(status(directory, "lv_waiting.volume.json") == nil)
            close(holder)
            #expect(done.wait(timeout: .now() + 5) == .success)
            #expect(try pool.get("lv_waiting") != nil)
        }
    }

    @Test func aLockHeldPastTheTimeoutIsABackendFailure() throws {
        try withTemporaryDirectory { (directory) throws in
            let pool = try DirVolumePool(directory: directory, lockTimeout: .milliseconds(50))
            let holder = open(directory.appendingPathComponent(DirVolumePool.lockFileName).path, O_RDWR | O_CREAT, 0o644)
            defer { close(holder) }
            #expect(flock(holder, LOCK_EX) == 0)
            let error = try volumeError { try pool.create(.data("lv_x")) }
            #expect(error?.kind == .backendFailure)
            #expect(error?.message.contains("locked") == true)
        }
    }

    @Test func aPoolPathThatIsAFileIsABackendFailure() throws {
        try withTemporaryDirectory { (directory) throws in
            let file = directory.appendingPathComponent("plain")
            try Data().write(to: file)
            #expect(throws: VolumeError.self) { try DirVolumePool(directory: file) }
        }
    }
}

/// Thread-safe tally of what concurrent attempts ended with.
final class Outcomes: Sendable {
    private let tally = Mutex<[String: Int]>([:])

    func record(_ outcome: String) {
        tally.withLock { $0[outcome, default: 0] += 1 }
    }

    var counts: [String: Int] { tally.withLock { $0 } }
}
