import SystemCalls
internal import Foundation
internal import Glibc

extension ProcessServiceManager {
    /// Stops a service: `SIGTERM` to its process group, a bounded wait, then `SIGKILL`.
    ///
    /// Signals go only to the process ``locate(_:)`` finds (pid and start time matching the pidfile,
    /// or the one session leader carrying the service's marker), so a reused pid is never
    /// signalled. A service that already died (``ServiceState/failed``) just loses its pidfile;
    /// when phasekit cannot tell which process is the service, nothing is signalled.
    /// The pidfile is removed once no live process of the group remains.
    ///
    /// - Parameter name: the service.
    /// - Throws: ``ServiceError/Kind/unknownService`` for an undefined name,
    ///   ``ServiceError/Kind/timedOut`` when the group survives `SIGKILL` until ``waitLimit``,
    ///   ``ServiceError/Kind/actionFailed`` when a signal cannot be sent or the pidfile removed.
    public func stop(_ name: String) throws {
        _ = try definition(name)
        let path = pidFilePath(for: name)
        if case .alive(let record) = try locate(name) { try terminateGroup(name, record.pid) }
        try perform(name, "remove \(path)") { try ProcessPidFile.remove(at: path) }
    }

    /// Sends `SIGTERM`, then `SIGKILL`, to process group `group` until no live member remains.
    private func terminateGroup(_ name: String, _ group: Int32) throws {
        let clock = ContinuousClock()
        let started = clock.now
        let gone = { try !self.perform(name, "list the processes in /proc") { try ProcessStat.groupHasLiveMembers(group) } }
        try perform(name, "send SIGTERM to process group \(group)") { try SystemCall.signal(-group, SIGTERM) }
        if try BoundedWait.until(limit: terminationGrace, interval: pollInterval, gone) { return }
        try perform(name, "send SIGKILL to process group \(group)") { try SystemCall.signal(-group, SIGKILL) }
        let remaining = max(.zero, waitLimit - (clock.now - started))
        if try BoundedWait.until(limit: remaining, interval: pollInterval, gone) { return }
        throw ServiceError(.timedOut, service: name,
                           "still running (process group \(group)) \(waitLimit) after SIGTERM, despite SIGKILL")
    }

    /// The error for a command that exited at once, with the last lines it logged.
    func exitedAtStart(_ name: String, logOffset: UInt64) -> ServiceError {
        let tail = Self.logTail(logPath(for: name), from: logOffset, lines: 10)
        let shown = tail.isEmpty ? "it logged nothing" : "last lines of \(logPath(for: name)):\n" + tail
        return ServiceError(.actionFailed, service: name, "the command exited immediately after start; \(shown)")
    }

    /// The last `lines` lines written to a file after byte `offset`.
    static func logTail(_ path: String, from offset: UInt64, lines: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        // Only for the message of a service that failed to start: a log that cannot be read shows nothing.
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd() else { return "" }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .suffix(lines + 1).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The size of a file, or 0 when it does not exist.
    static func fileSize(_ path: String) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }
}
