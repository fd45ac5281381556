public import Foundation

/// A pool of sparse image files in one directory, like libvirt's `dir` pool; the embedded default.
///
/// Each volume is two files: `NAME.img`, a sparse file of the volume's size made with
/// `ftruncate` and never written, and `NAME.volume.json`, its metadata (group, role, size,
/// tags, creation time). The metadata file is the source of truth: a volume exists exactly
/// when it does. Changes are atomic and durable (temporary file, `fsync`, `rename`, `fsync`
/// of the directory) and ordered so a crash leaves at worst an orphan image, which ``list(_:)``
/// ignores and the next ``create(_:)`` of that name, or ``removeOrphans()``, cleans:
/// - create writes the image, then the metadata;
/// - delete removes the metadata, then the image;
/// - resize keeps the image at least as long as the metadata says (grows the image first,
///   shrinks it last).
///
/// Every change holds an exclusive `flock` on `.phasekit-pool.lock` in the directory (creating it)
/// and every read a shared one, so several processes and threads may share one pool. A read never
/// creates the lock file: in a pool no change ever touched, it reads without a lock and checks
/// afterwards that no change started meanwhile (reading a pool creates nothing).
///
/// ```swift
/// let pool = try DirVolumePool(directory: URL(fileURLWithPath: "/var/lib/phasekit/volumes"))
/// try pool.create(Volume(name: "lv_data01", group: "vg0", role: .data, size: 1 << 30))
/// ```
public final class DirVolumePool: VolumePool, Sendable {
    /// The name of the lock file inside the pool directory.
    static let lockFileName = ".phasekit-pool.lock"
    /// What a volume name is followed by in its metadata file's name.
    static let metadataSuffix = ".volume.json"
    /// What a volume name is followed by in its image file's name.
    static let imageSuffix = ".img"

    public let backendName = "dir"
    /// The pool directory.
    public let directory: URL
    /// How long a change or read waits for another process holding the pool's lock.
    public let lockTimeout: Duration
    let files: PoolDirectory

    /// Opens the pool in `directory`, creating the directory when missing.
    ///
    /// - Parameters:
    ///   - directory: the pool directory.
    ///   - lockTimeout: how long operations wait for the pool lock before failing.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/backendFailure`` when the directory
    ///   cannot be made or is not a directory.
    public init(directory: URL, lockTimeout: Duration = .seconds(30)) throws {
        let path = directory.standardizedFileURL.path
        self.directory = directory
        self.lockTimeout = lockTimeout
        self.files = PoolDirectory(path: path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path)
        do {
            try files.createIfMissing()
            try files.sync()
        } catch {
            throw VolumeError(.backendFailure, volume: path, "cannot open the pool directory: \(error)")
        }
    }

    /// Lists the volumes passing `filter`, sorted by name; orphan images are ignored.
    ///
    /// - Parameter filter: which volumes to return.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/backendFailure`` when the directory
    ///   or a metadata file cannot be read.
    public func list(_ filter: VolumeFilter) throws -> [Volume] {
        try locked(exclusive: false, volume: files.path) {
            var volumes: [Volume] = []
            for entry in try files.entries() {
                guard let name = Self.volumeName(ofMetadataFile: entry) else { continue }
                if let record = try record(name), filter.matches(record.volume) {
                    volumes.append(record.volume)
                }
            }
            return volumes.sorted { $0.name < $1.name }
        }
    }

    /// The volume named `name`, or `nil`.
    ///
    /// - Parameter name: the volume's name.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument`` for a bad name,
    ///   ``VolumeError/Kind/backendFailure`` when its metadata cannot be read.
    public func get(_ name: String) throws -> Volume? {
        try VolumeValidation.checkName(name)
        return try locked(exclusive: false, volume: name) { try record(name)?.volume }
    }

    /// Creates a volume: its sparse image, then its metadata.
    ///
    /// An orphan image of the same name, left by a crash, is replaced.
    ///
    /// - Parameter volume: the volume; its tags are sorted and deduplicated.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/alreadyExists`` or ``VolumeError/Kind/backendFailure``.
    public func create(_ volume: Volume) throws {
        try VolumeValidation.checkVolume(volume)
        let normalized = Volume(
            name: volume.name, group: volume.group, role: volume.role, size: volume.size, tags: volume.tags)
        try locked(exclusive: true, volume: volume.name) {
            guard try !files.contains(Self.metadataFile(volume.name)) else {
                throw VolumeError(.alreadyExists, volume: volume.name, "a volume with this name already exists")
            }
            let image = Self.imageFile(volume.name)
            try files.writeSparse(image, length: volume.size)
            do {
                try store(VolumeRecord(normalized, created: Date()))
            } catch {
                try? files.remove(image)  // The volume does not exist; at worst an orphan image stays.
                throw error
            }
        }
    }

    /// Deletes a volume: its metadata, then its image.
    ///
    /// - Parameter name: the volume's name.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/notFound`` or ``VolumeError/Kind/backendFailure``.
    public func delete(_ name: String) throws {
        try VolumeValidation.checkName(name)
        try locked(exclusive: true, volume: name) {
            _ = try existingRecord(name)
            try files.remove(Self.metadataFile(name))
            try files.remove(Self.imageFile(name))
        }
    }

    /// Changes a volume's size: the sparse image's length and the metadata.
    ///
    /// - Parameters:
    ///   - name: the volume's name.
    ///   - size: the new size in bytes.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/notFound`` or ``VolumeError/Kind/backendFailure``.
    public func resize(_ name: String, to size: Int64) throws {
        try VolumeValidation.checkName(name)
        try VolumeValidation.checkSize(size, volume: name)
        try locked(exclusive: true, volume: name) {
            var record = try existingRecord(name)
            guard record.size != size else { return }
            let growing = size > record.size
            record.size = size
            if growing { try files.truncate(Self.imageFile(name), to: size) }
            try store(record)
            if !growing { try files.truncate(Self.imageFile(name), to: size) }
        }
    }

    /// Adds a tag; adding a tag the volume has changes nothing.
    ///
    /// - Parameters:
    ///   - name: the volume's name.
    ///   - tag: the tag.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/notFound`` or ``VolumeError/Kind/backendFailure``.
    public func tag(_ name: String, _ tag: String) throws {
        try changeTags(name, tag) { tags in tags.contains(tag) ? nil : tags + [tag] }
    }

    /// Removes a tag; removing a tag the volume lacks changes nothing.
    ///
    /// - Parameters:
    ///   - name: the volume's name.
    ///   - tag: the tag.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/notFound`` or ``VolumeError/Kind/backendFailure``.
    public func untag(_ name: String, _ tag: String) throws {
        try changeTags(name, tag) { tags in tags.contains(tag) ? tags.filter { $0 != tag } : nil }
    }

    /// Removes what crashes leave behind: images without metadata and temporary files.
    ///
    /// - Returns: the names of the removed files, sorted.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/backendFailure``.
    @discardableResult
    public func removeOrphans() throws -> [String] {
        try locked(exclusive: true, volume: files.path) {
            let entries = try files.entries()
            let present = Set(entries)
            var removed: [String] = []
            for entry in entries where entry != Self.lockFileName {
                let temporary = entry.hasPrefix(".") && entry.hasSuffix(".tmp")
                let orphan = Self.volumeName(ofImageFile: entry).map { !present.contains(Self.metadataFile($0)) } ?? false
                if temporary || orphan {
                    try files.remove(entry)
                    removed.append(entry)
                }
            }
            return removed.sorted()
        }
    }

    /// Applies `change` to a volume's tags and stores them, unless `change` returns `nil`.
    private func changeTags(_ name: String, _ tag: String, _ change: ([String]) -> [String]?) throws {
        try VolumeValidation.checkName(name)
        try VolumeValidation.checkTag(tag, volume: name)
        try locked(exclusive: true, volume: name) {
            var record = try existingRecord(name)
            guard let tags = change(record.tags) else { return }
            record.tags = Array(Set(tags)).sorted()
            try store(record)
        }
    }
}
