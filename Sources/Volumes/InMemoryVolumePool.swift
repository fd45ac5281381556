import Synchronization

/// A volume pool held in memory, with the same validation and errors as the real backends.
///
/// Used by tests above this module and to simulate planned state: copy a real pool with
/// ``init(copying:)``, apply the planned changes to the copy, and compare.
///
/// ```swift
/// let plan = try InMemoryVolumePool(copying: pool)
/// try plan.delete("lv_old")
/// ```
public final class InMemoryVolumePool: VolumePool, Sendable {
    public let backendName = "memory"
    private let volumes: Mutex<[String: Volume]>

    /// Makes an empty pool.
    public init() {
        volumes = Mutex([:])
    }

    /// Makes a pool holding `volumes`.
    ///
    /// - Parameter volumes: the initial volumes, validated like ``create(_:)``.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument`` or
    ///   ``VolumeError/Kind/alreadyExists`` for a bad or duplicate volume.
    public convenience init(_ volumes: [Volume]) throws {
        self.init()
        for volume in volumes { try create(volume) }
    }

    /// Makes a pool holding a snapshot of every volume in `source`.
    ///
    /// Copying another in-memory pool copies its dictionary (copy-on-write, no listing).
    ///
    /// - Parameter source: the pool to copy, e.g. a ``DirVolumePool`` or ``LVMVolumePool``.
    /// - Throws: whatever `source.list` throws, or ``VolumeError`` when it holds a volume this
    ///   pool rejects.
    public convenience init(copying source: any VolumePool) throws {
        if let other = source as? InMemoryVolumePool {
            self.init()
            let snapshot = other.volumes.withLock { $0 }
            volumes.withLock { $0 = snapshot }
        } else {
            try self.init(source.list(VolumeFilter()))
        }
    }

    public func list(_ filter: VolumeFilter) throws -> [Volume] {
        volumes.withLock { $0.values.filter(filter.matches).sorted { $0.name < $1.name } }
    }

    public func get(_ name: String) throws -> Volume? {
        try VolumeValidation.checkName(name)
        return volumes.withLock { $0[name] }
    }

    public func create(_ volume: Volume) throws {
        try VolumeValidation.checkVolume(volume)
        let normalized = Volume(
            name: volume.name, group: volume.group, role: volume.role, size: volume.size, tags: volume.tags)
        try volumes.withLock { (all) throws(VolumeError) in
            guard all[volume.name] == nil else {
                throw VolumeError(.alreadyExists, volume: volume.name, "a volume with this name already exists")
            }
            all[volume.name] = normalized
        }
    }

    public func delete(_ name: String) throws {
        try VolumeValidation.checkName(name)
        try volumes.withLock { (all) throws(VolumeError) in
            guard all.removeValue(forKey: name) != nil else { throw Self.notFound(name) }
        }
    }

    public func resize(_ name: String, to size: Int64) throws {
        try VolumeValidation.checkName(name)
        try VolumeValidation.checkSize(size, volume: name)
        try change(name) { $0.size = size }
    }

    public func tag(_ name: String, _ tag: String) throws {
        try VolumeValidation.checkName(name)
        try VolumeValidation.checkTag(tag, volume: name)
        try change(name) { $0.tags = Array(Set($0.tags + [tag])).sorted() }
    }

    public func untag(_ name: String, _ tag: String) throws {
        try VolumeValidation.checkName(name)
        try VolumeValidation.checkTag(tag, volume: name)
        try change(name) { $0.tags.removeAll { $0 == tag } }
    }

    /// Applies `body` to the volume named `name` under the lock.
    private func change(_ name: String, _ body: (inout Volume) -> Void) throws {
        try volumes.withLock { (all) throws(VolumeError) in
            guard var volume = all[name] else { throw Self.notFound(name) }
            body(&volume)
            all[name] = volume
        }
    }

    private static func notFound(_ name: String) -> VolumeError {
        VolumeError(.notFound, volume: name, "no such volume in the in-memory pool")
    }
}
