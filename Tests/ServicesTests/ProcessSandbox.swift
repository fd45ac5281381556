import Foundation
import Glibc
@testable import Services

/// A temporary state directory and a ``ProcessServiceManager`` over it, that kills every process
/// group it started when torn down, even when a test failed half-way.
final class ProcessSandbox {
    let directory: String
    let manager: ProcessServiceManager

    init(_ services: [ProcessServiceDefinition], waitLimit: Duration = .seconds(10),
         terminationGrace: Duration = .seconds(5)) throws {
        directory = NSTemporaryDirectory() + "phasekit-services-" + UUID().uuidString
        manager = try ProcessServiceManager(stateDirectory: directory, services: services, waitLimit: waitLimit,
                                            terminationGrace: terminationGrace)
    }

    /// The pidfile record of a service, if any.
    func record(_ name: String) -> ProcessPidFile? {
        ProcessPidFile.read(at: manager.pidFilePath(for: name)) ?? nil
    }

    /// Kills whatever process group a pidfile still names, then removes the directory.
    func tearDown() {
        for name in manager.definitions.keys {
            if let record = record(name), let stat = ProcessStat.read(pid: record.pid), stat.startTime == record.startTime {
                kill(-record.pid, SIGKILL)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Waits up to `limit` for `condition`.
    static func eventually(_ limit: Duration = .seconds(5), _ condition: () throws -> Bool) rethrows -> Bool {
        try BoundedWait.until(limit: limit, interval: .milliseconds(20), condition)
    }
}
