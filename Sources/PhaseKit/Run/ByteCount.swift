/// Sizes as people read them: `312 bytes`, `24 MiB`, `1.5 GiB`.
public enum ByteCount {
    /// A byte count in binary units, with at most one decimal (dropped when it is zero).
    ///
    /// ```swift
    /// ByteCount.format(25_165_824)   // "24 MiB"
    /// ByteCount.format(312)          // "312 bytes"
    /// ```
    public static func format(_ bytes: Int64) -> String {
        if bytes == 1 { return "1 byte" }
        guard bytes >= 1024 || bytes <= -1024 else { return "\(bytes) bytes" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes) / 1024
        var index = 0
        while abs(value) >= 1024 && index < units.count - 1 {
            value /= 1024
            index += 1
        }
        let tenths = (value * 10).rounded()
        let text = tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int64(tenths / 10)) : String(tenths / 10)
        return "\(text) \(units[index])"
    }
}
