import Crypto

/// SHA-256 digests as the engine writes them (script identities, fingerprints, file checksums):
/// lowercase hex of swift-crypto's `SHA256`.
public enum SHA256 {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The lowercase hex digest of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in Crypto.SHA256.hash(data: bytes) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
