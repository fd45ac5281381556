/// One logical volume.
public struct Volume: Sendable, Equatable, Codable {
    /// Unique within the pool.
    public var name: String
    /// The volume group it belongs to.
    public var group: String
    /// What it is for.
    public var role: VolumeRole
    /// Size in bytes.
    public var size: Int64
    /// Tags, sorted, without duplicates.
    public var tags: [String]

    public init(name: String, group: String, role: VolumeRole, size: Int64, tags: [String] = []) {
        self.name = name
        self.group = group
        self.role = role
        self.size = size
        self.tags = Array(Set(tags)).sorted()
    }
}

/// Which volumes ``VolumePool/list(_:)`` returns; `nil` fields match everything.
public struct VolumeFilter: Sendable, Equatable {
    public var group: String?
    public var role: VolumeRole?
    public var tag: String?

    public init(group: String? = nil, role: VolumeRole? = nil, tag: String? = nil) {
        self.group = group
        self.role = role
        self.tag = tag
    }

    /// Whether `volume` passes this filter.
    public func matches(_ volume: Volume) -> Bool {
        (group == nil || volume.group == group)
            && (role == nil || volume.role == role)
            && (tag.map { volume.tags.contains($0) } ?? true)
    }
}

/// A typed volume failure.
public struct VolumeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case notFound
        case alreadyExists
        /// A bad name, size or tag (names: letters, digits, `_ . + -`, not starting with `-` or `.`).
        case invalidArgument
        /// The backend's tool or storage failed.
        case backendFailure
    }

    public var kind: Kind
    public var volume: String
    public var message: String

    public init(_ kind: Kind, volume: String, _ message: String) {
        self.kind = kind
        self.volume = volume
        self.message = message
    }

    public var description: String { "\(volume): \(message)" }
}

/// A pool of logical volumes: a directory pool or LVM2 volume groups.
///
/// Requirements:
/// - Every change is atomic and durable: after a crash a volume either exists with its complete
///   metadata or does not exist; a half-done change never shows.
/// - Names are validated before anything is touched; errors are ``VolumeError`` naming the volume.
/// - `list` is sorted by name.
public protocol VolumePool: AnyObject {
    /// The backend's name as written in `site.yaml` (`dir`, `lvm`).
    var backendName: String { get }

    /// The volumes passing `filter`, sorted by name.
    ///
    /// - Parameter filter: which volumes to return; `VolumeFilter()` returns all.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/backendFailure``.
    func list(_ filter: VolumeFilter) throws -> [Volume]
    /// The volume named `name`, or `nil`.
    ///
    /// - Parameter name: the volume's name.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument`` for a bad name,
    ///   ``VolumeError/Kind/backendFailure``.
    func get(_ name: String) throws -> Volume?
    /// Creates a volume; fails with ``VolumeError/Kind/alreadyExists`` when the name is taken.
    ///
    /// - Parameter volume: the volume; its tags are stored sorted and without duplicates.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/alreadyExists`` or ``VolumeError/Kind/backendFailure``.
    func create(_ volume: Volume) throws
    /// Deletes a volume.
    ///
    /// - Parameter name: the volume's name.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/notFound`` or ``VolumeError/Kind/backendFailure``.
    func delete(_ name: String) throws
    /// Changes a volume's size, growing or shrinking it.
    ///
    /// - Parameters:
    ///   - name: the volume's name.
    ///   - size: the new size in bytes.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/notFound`` or ``VolumeError/Kind/backendFailure``.
    func resize(_ name: String, to size: Int64) throws
    /// Adds a tag; adding a tag the volume has is harmless.
    ///
    /// - Parameters:
    ///   - name: the volume's name.
    ///   - tag: the tag (see ``VolumeValidation``).
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/notFound`` or ``VolumeError/Kind/backendFailure``.
    func tag(_ name: String, _ tag: String) throws
    /// Removes a tag; removing a tag the volume lacks is harmless.
    ///
    /// - Parameters:
    ///   - name: the volume's name.
    ///   - tag: the tag (see ``VolumeValidation``).
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``,
    ///   ``VolumeError/Kind/notFound`` or ``VolumeError/Kind/backendFailure``.
    func untag(_ name: String, _ tag: String) throws
}
