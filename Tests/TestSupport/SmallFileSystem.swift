public import Foundation

/// A small file system the test mounts (tmpfs; a loop-mounted ext2 image where tmpfs cannot be
/// mounted), to run out of space on purpose (the durability tests and the fault campaign). Needs root; unmounted and removed by ``remove()``.
public struct SmallFileSystem {
    public let mountPoint: String
    private let image: String?

    public init(megabytes: Int) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-disk-\(UUID().uuidString)").path
        mountPoint = base + "/mnt"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        if Self.command("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", mountPoint]) {
            image = nil
            return
        }
        let file = base + "/image"
        guard FileManager.default.createFile(atPath: file, contents: nil), truncate(file, off_t(megabytes) << 20) == 0,
              Self.command("/sbin/mkfs.ext2", ["-q", "-F", file]), Self.command("/bin/mount", ["-o", "loop", file, mountPoint]) else {
            try? FileManager.default.removeItem(atPath: base)
            throw POSIXError(.EPERM)
        }
        image = file
    }

    private var filler: String { mountPoint + "/filler.bin" }

    /// Fills the file system until a write fails.
    public func fill() throws {
        let descriptor = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0x46, count: 4096)
        while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        fsync(descriptor)
    }

    /// Removes what ``fill()`` wrote.
    public func free() { unlink(filler) }

    public func remove() {
        _ = Self.command("/bin/umount", [mountPoint])
        try? FileManager.default.removeItem(atPath: (mountPoint as NSString).deletingLastPathComponent)
    }

    @discardableResult
    public static func command(_ path: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
