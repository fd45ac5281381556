import Foundation
import Volumes

/// The backends that run for real here; shared behaviour tests run over each.
enum PoolKind: String, CaseIterable, Sendable {
    case dir
    case memory
}

/// A fresh temporary directory, removed when `body` returns.
func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("phasekit-volumes-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// A fresh, empty pool of `kind`, valid for the duration of `body`.
func withPool<Result>(_ kind: PoolKind, _ body: (any VolumePool) throws -> Result) throws -> Result {
    switch kind {
    case .dir:
        return try withTemporaryDirectory { url in try body(DirVolumePool(directory: url.appendingPathComponent("pool"))) }
    case .memory:
        return try body(InMemoryVolumePool())
    }
}

/// Runs `body` and returns the ``VolumeError`` it threw, or `nil` when it threw nothing.
func volumeError(_ body: () throws -> Void) throws -> VolumeError? {
    do {
        try body()
        return nil
    } catch let error as VolumeError {
        return error
    }
}

extension Volume {
    /// A 1 GiB data volume in `vg0`.
    static func data(_ name: String, size: Int64 = 1 << 30, tags: [String] = []) -> Volume {
        Volume(name: name, group: "vg0", role: .data, size: size, tags: tags)
    }
}
