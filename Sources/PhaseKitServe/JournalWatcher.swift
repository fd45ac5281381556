import Foundation

/// Watches the site's newest journal and publishes the `/api/run` document each time it grows,
/// plus when the run's process disappears without a last record (the run is then interrupted).
///
/// It looks with a stat loop (every ``ServeOptions/journalPollMilliseconds``, 20 ms by default) at
/// `state/journal/latest`, the journal it names and `state/reports`: a few `stat` calls a tick, one loop for all
/// pages, and it survives the journal being replaced by a new run's; the database is never read.
struct JournalWatcher: Sendable {
    let reader: SiteReader
    let engine: EngineQueue
    let hub: EventHub
    let encoder: DocumentEncoder

    /// Publishes the current document, then loops until the task is cancelled.
    func run() async {
        let options = reader.options
        let latest = options.siteDirectory + "/state/journal/latest"
        let reports = options.siteDirectory + "/state/reports"
        var stamps: FileStamps?
        var runningPid: Int32?
        var lastHeartbeat = ContinuousClock.now
        while !Task.isCancelled {
            let journal = Self.journalPath(latest: latest)
            // The reports directory too: a run's report (its findings) is stored just after its last record.
            let now = FileStamps([latest, reports] + (journal.map { [$0] } ?? []))
            let processGone = runningPid.map { kill($0, 0) != 0 } ?? false
            if now != stamps || processGone {
                stamps = now
                runningPid = await publish()
            }
            if ContinuousClock.now - lastHeartbeat >= .seconds(options.heartbeatSeconds) {
                hub.heartbeat()
                lastHeartbeat = .now
            }
            // Cancellation ends the loop at its next test.
            try? await Task.sleep(for: .milliseconds(options.journalPollMilliseconds))
        }
        hub.finishAll()
    }

    /// Computes and publishes the document; returns the pid of a run still running (to notice its death).
    private func publish() async -> Int32? {
        do {
            let (document, pid) = try await engine.run { [reader] in try reader.runState() }
            hub.publish(encoder.encode(document))
            return pid
        } catch {
            // The site cannot be read right now (site.yaml mid-edit, engine busy): the pages keep
            // the last document and the next change or tick tries again.
            return nil
        }
    }

    /// The journal `latest` names, or nil when it names none.
    static func journalPath(latest: String) -> String? {
        guard let data = FileManager.default.contents(atPath: latest) else { return nil }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, !name.contains("/") else { return nil }
        return URL(fileURLWithPath: latest).deletingLastPathComponent().path + "/" + name
    }
}
