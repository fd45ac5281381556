import SystemCalls
import Foundation

extension DirVolumePool {
    /// The metadata file of volume `name`.
    static func metadataFile(_ name: String) -> String { name + metadataSuffix }

    /// The image file of volume `name`.
    static func imageFile(_ name: String) -> String { name + imageSuffix }

    /// The volume a directory entry is the metadata of, or `nil` for any other file.
    static func volumeName(ofMetadataFile entry: String) -> String? {
        guard entry.hasSuffix(metadataSuffix), !entry.hasPrefix(".") else { return nil }
        let name = String(entry.dropLast(metadataSuffix.count))
        return name.isEmpty ? nil : name
    }

    /// The volume a directory entry is the image of, or `nil` for any other file.
    static func volumeName(ofImageFile entry: String) -> String? {
        guard entry.hasSuffix(imageSuffix), !entry.hasPrefix(".") else { return nil }
        let name = String(entry.dropLast(imageSuffix.count))
        return name.isEmpty ? nil : name
    }

    /// The stored record of `name`, or `nil` when it has no metadata file.
    ///
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/backendFailure`` when the file is
    ///   unreadable or describes another volume.
    func record(_ name: String) throws -> VolumeRecord? {
        guard let bytes = try files.read(Self.metadataFile(name)) else { return nil }
        let record: VolumeRecord
        do {
            record = try VolumeRecord.decode(bytes)
        } catch {
            throw VolumeError(.backendFailure, volume: name, "unreadable metadata \(Self.metadataFile(name)): \(error)")
        }
        guard record.format <= VolumeRecord.currentFormat else {
            throw VolumeError(.backendFailure, volume: name, "metadata format \(record.format) is newer than this phasekit")
        }
        guard record.name == name else {
            throw VolumeError(.backendFailure, volume: name, "metadata \(Self.metadataFile(name)) names \"\(record.name)\"")
        }
        return record
    }

    /// The stored record of `name`.
    ///
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/notFound`` when it does not exist.
    func existingRecord(_ name: String) throws -> VolumeRecord {
        guard let record = try record(name) else {
            throw VolumeError(.notFound, volume: name, "no such volume in pool \(files.path)")
        }
        return record
    }

    /// Writes a record's metadata file atomically and durably.
    func store(_ record: VolumeRecord) throws {
        try files.write(Self.metadataFile(record.name), record.encoded())
    }

    /// Runs `body` holding the pool lock, turning system call failures into ``VolumeError``.
    ///
    /// - Parameters:
    ///   - exclusive: `true` for changes, `false` for reads.
    ///   - volume: the volume errors name.
    ///   - body: the work to do under the lock.
    /// - Throws: ``VolumeError``; kind ``VolumeError/Kind/backendFailure`` when the lock is not
    ///   taken within ``lockTimeout`` or a system call fails.
    func locked<Result>(exclusive: Bool, volume: String, _ body: () throws -> Result) throws -> Result {
        do {
            let lockPath = files.path(of: Self.lockFileName)
            if !exclusive, try !files.contains(Self.lockFileName) {
                // A read never creates the lock file (analysis creates nothing). Every change
                // creates it before touching anything, so a read that finds no lock file before
                // and after itself saw a pool that no change touched meanwhile.
                let result = try body()
                if try !files.contains(Self.lockFileName) { return result }
            }
            guard let lock = try PoolLock.acquire(path: lockPath, exclusive: exclusive, timeout: lockTimeout) else {
                throw VolumeError(.backendFailure, volume: volume, "pool \(files.path) stayed locked for \(lockTimeout)")
            }
            return try withExtendedLifetime(lock) { try body() }
        } catch let error as SystemCallError {
            throw VolumeError(.backendFailure, volume: volume, error.description)
        }
    }
}
