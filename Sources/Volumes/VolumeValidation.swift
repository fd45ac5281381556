/// The checks every pool runs on names, sizes and tags before touching anything.
///
/// The rules are LVM2's, so a volume valid for one backend is valid for all:
/// - names (volumes and groups): 1 to 127 characters from `A-Z a-z 0-9 _ . + -`,
///   not starting with `-` or `.`; this also rules out `/`, `..` and path traversal;
/// - sizes: more than 0 and at most ``maximumSize``;
/// - tags: 1 to 128 characters from `A-Z a-z 0-9 _ + . - / = ! : & #`, not starting
///   with `-`, and not starting with ``reservedTagPrefix``, which backends use for the role.
public enum VolumeValidation {
    /// The largest volume size accepted: 16 TiB.
    public static let maximumSize: Int64 = 16 << 40
    /// The longest name accepted.
    public static let maximumNameLength = 127
    /// The longest tag accepted.
    public static let maximumTagLength = 128
    /// The tag prefix reserved for the role (`phasekit_role=data`); user tags may not use it.
    public static let reservedTagPrefix = "phasekit_role="

    /// Checks a volume or group name.
    ///
    /// - Parameters:
    ///   - name: the name to check.
    ///   - volume: the volume the error names; defaults to `name`.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``.
    public static func checkName(_ name: String, volume: String? = nil, what: String = "name") throws(VolumeError) {
        let subject = volume ?? name
        guard !name.isEmpty else { throw VolumeError(.invalidArgument, volume: subject, "empty \(what)") }
        guard name.utf8.count <= maximumNameLength else {
            throw VolumeError(.invalidArgument, volume: subject, "\(what) longer than \(maximumNameLength) characters")
        }
        guard name.utf8.allSatisfy(isNameByte) else {
            throw VolumeError(
                .invalidArgument, volume: subject,
                "\(what) \"\(name)\" may only contain letters, digits and _ . + -")
        }
        guard let first = name.utf8.first, first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else {
            throw VolumeError(.invalidArgument, volume: subject, "\(what) \"\(name)\" may not start with - or .")
        }
    }

    /// Checks a size in bytes.
    ///
    /// - Parameters:
    ///   - size: the size to check.
    ///   - volume: the volume the error names.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``.
    public static func checkSize(_ size: Int64, volume: String) throws(VolumeError) {
        guard size > 0 else { throw VolumeError(.invalidArgument, volume: volume, "size \(size) is not positive") }
        guard size <= maximumSize else {
            throw VolumeError(.invalidArgument, volume: volume, "size \(size) exceeds the maximum of \(maximumSize) bytes")
        }
    }

    /// Checks a tag.
    ///
    /// - Parameters:
    ///   - tag: the tag to check.
    ///   - volume: the volume the error names.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``.
    public static func checkTag(_ tag: String, volume: String) throws(VolumeError) {
        guard !tag.isEmpty else { throw VolumeError(.invalidArgument, volume: volume, "empty tag") }
        guard tag.utf8.count <= maximumTagLength else {
            throw VolumeError(.invalidArgument, volume: volume, "tag longer than \(maximumTagLength) characters")
        }
        guard tag.utf8.allSatisfy(isTagByte) else {
            throw VolumeError(
                .invalidArgument, volume: volume,
                "tag \"\(tag)\" may only contain letters, digits and _ + . - / = ! : & #")
        }
        guard !tag.hasPrefix("-") else {
            throw VolumeError(.invalidArgument, volume: volume, "tag \"\(tag)\" may not start with -")
        }
        guard !tag.hasPrefix(reservedTagPrefix) else {
            throw VolumeError(.invalidArgument, volume: volume, "tag prefix \(reservedTagPrefix) is reserved for the role")
        }
    }

    /// Checks everything about a volume about to be created.
    ///
    /// - Parameter volume: the volume to check.
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/invalidArgument``.
    public static func checkVolume(_ volume: Volume) throws(VolumeError) {
        try checkName(volume.name)
        try checkName(volume.group, volume: volume.name, what: "group")
        try checkSize(volume.size, volume: volume.name)
        guard volume.role.isValid else {
            throw VolumeError(.invalidArgument, volume: volume.name, "role \"\(volume.role)\" must be a lowercase letter, then up to 63 lowercase letters, digits and _")
        }
        for tag in volume.tags { try checkTag(tag, volume: volume.name) }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "_.+-".utf8.contains(byte)
    }

    private static func isTagByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "_+.-/=!:&#".utf8.contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
