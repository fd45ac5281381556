import Foundation

/// The durable metadata of one directory-pool volume, stored as `NAME.volume.json`.
///
/// The metadata file is the source of truth: a volume exists exactly when its metadata
/// file does. The image `NAME.img` is at least ``size`` bytes long.
struct VolumeRecord: Codable, Equatable, Sendable {
    /// The layout version of this file.
    static let currentFormat = 1

    var format: Int
    var name: String
    var group: String
    var role: VolumeRole
    var size: Int64
    var tags: [String]
    /// When the volume was created, to the second.
    var created: Date

    init(_ volume: Volume, created: Date) {
        self.format = Self.currentFormat
        self.name = volume.name
        self.group = volume.group
        self.role = volume.role
        self.size = volume.size
        self.tags = volume.tags
        self.created = Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down))
    }

    /// The volume this record describes.
    var volume: Volume { Volume(name: name, group: group, role: role, size: size, tags: tags) }

    /// The record as pretty, key-sorted JSON with a final newline, for operators to read.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// Decodes a record written by ``encoded()``.
    static func decode(_ bytes: [UInt8]) throws -> VolumeRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(VolumeRecord.self, from: Data(bytes))
    }
}
