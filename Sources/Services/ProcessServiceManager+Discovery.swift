internal import Foundation

extension ProcessServiceManager {
    /// The environment variable every started command carries; its value names the state
    /// directory and the service, so phasekit recognizes its processes without their pidfile.
    static let markerVariable = "PHASEKIT_SERVICE"

    /// The value of ``markerVariable`` for a service's processes.
    func markerValue(for name: String) -> String { stateDirectory + "/" + name }

    /// The `PHASEKIT_SERVICE=...` entry of a service's processes.
    func marker(for name: String) -> String { Self.markerVariable + "=" + markerValue(for: name) }

    /// What is known of a service's process.
    enum Located: Equatable {
        /// No pidfile and no marked process: the service is stopped.
        case none
        /// The process that is the service, alive (from its pidfile, or found by its marker).
        case alive(ProcessPidFile)
        /// A pidfile naming no live service process, and no marked process: the service died.
        case dead
    }

    /// Finds a service's process: the one its pidfile names when that is alive, otherwise the one
    /// live session leader whose environment carries the service's marker (a pidfile lost with
    /// `state/` does not hide a running service).
    ///
    /// - Throws: ``ServiceError/Kind/actionFailed`` when phasekit cannot tell which process is the
    ///   service: several marked session leaders, or marked processes without their leader.
    func locate(_ name: String) throws -> Located {
        let read = ProcessPidFile.read(at: pidFilePath(for: name))
        if let record = read ?? nil, isAlive(record) { return .alive(record) }
        let marked: [ProcessStat]
        do {
            marked = try Self.markedProcesses(marker(for: name))
        } catch {
            throw ServiceError(.backendUnavailable, service: name, "cannot list the processes in /proc: \(error)")
        }
        let leaders = marked.filter { $0.session == $0.pid }
        switch (leaders.count, marked.count) {
        case (0, 0): return read == nil ? .none : .dead
        case (1, _): return .alive(ProcessPidFile(pid: leaders[0].pid, startTime: leaders[0].startTime))
        default:
            let pids = marked.map { String($0.pid) }.joined(separator: ", ")
            throw ServiceError(.actionFailed, service: name,
                               "cannot tell which process is the service: processes \(pids) carry its marker "
                               + "(\(leaders.count) leading a session); stop them by hand, then run again")
        }
    }

    /// Live (not zombie) processes whose environment holds `marker` as one entry, by pid.
    ///
    /// - Throws: when `/proc` cannot be listed: never "no process" (a stopped service).
    static func markedProcesses(_ marker: String) throws -> [ProcessStat] {
        let wanted = Array(marker.utf8)
        var found: [ProcessStat] = []
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = Int32(entry), let stat = ProcessStat.read(pid: pid), !stat.isZombie,
                  let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { continue }
            if environment.split(separator: 0, omittingEmptySubsequences: true).contains(where: { $0.elementsEqual(wanted) }) {
                found.append(stat)
            }
        }
        return found.sorted { $0.pid < $1.pid }
    }
}
