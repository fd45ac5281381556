/// What a logical volume is for, as the procedure that made it names it: `data` by default;
/// a procedure names its own kinds (the replication group's are `replication_container`,
/// `log_record_container`, `snapshot`, `snapshot_container` and `internal`).
///
/// A role is a lowercase letter followed by up to 63 lowercase letters, digits and `_`
/// (``isValid``): backends store it in LVM tags and file names. Pools refuse a volume whose role
/// is not valid (``VolumeValidation/checkVolume(_:)``).
public struct VolumeRole: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ name: String) {
        self.rawValue = name
    }

    /// A data volume, the default.
    public static let data = VolumeRole("data")

    /// Whether the name is a valid role.
    public var isValid: Bool {
        guard let first = rawValue.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), rawValue.utf8.count <= 64 else {
            return false
        }
        return rawValue.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
    }

    public var description: String { rawValue }
}
