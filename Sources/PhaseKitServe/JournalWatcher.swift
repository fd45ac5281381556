import Foundation
import Synchronization
import SystemCalls

/// Watches the site's newest journal and publishes the `/api/run` document each time it grows,
/// plus when the run's process disappears without a last record (the run is then interrupted).
///
/// It runs on a thread of its own, one for all pages, and waits with inotify (``FileWatch``) on
/// `state/journal/` (appends, `latest` renamed) and `state/reports/` (a finished run's report, with
/// its findings); on each wake-up (a burst of records let in together), and at least every second (every 250 ms while a run runs, to
/// notice its process dying), it compares the stamps of `latest`, the journal it names and the
/// reports directory, and recomputes only when they changed. Where inotify is not available it
/// falls back to a stat loop every ``ServeOptions/journalPollMilliseconds``. The database is never read.
final class JournalWatcher: Sendable {
    let reader: SiteReader
    let hub: EventHub
    let encoder: DocumentEncoder
    private let stopping = Mutex(false)

    init(reader: SiteReader, hub: EventHub, encoder: DocumentEncoder) {
        self.reader = reader
        self.hub = hub
        self.encoder = encoder
    }

    /// Starts the watching thread.
    func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "phasekit.serve.journal"
        thread.start()
    }

    /// Stops the thread at its next wake-up and ends every event stream.
    func stop() {
        stopping.withLock { $0 = true }
        hub.finishAll()
    }

    private func loop() {
        let options = reader.options
        let state = options.siteDirectory + "/state"
        let latest = state + "/journal/latest", reports = state + "/reports"
        // No inotify instance left (a per-user limit): the stat loop.
        let watch = try? FileWatch()
        var stamps: FileStamps?
        var runningPid: Int32?
        var lastHeartbeat = ContinuousClock.now
        while !stopping.withLock({ $0 }) {
            if let watch {
                // Each is watched once it exists; until then the time-out finds what appears.
                for path in [options.siteDirectory, state, state + "/journal", reports] { watch.watch(path) }
            }
            let journal = Self.journalPath(latest: latest)
            let now = FileStamps([latest, reports] + (journal.map { [$0] } ?? []))
            let processGone = runningPid.map { kill($0, 0) != 0 } ?? false
            if now != stamps || processGone {
                stamps = now
                runningPid = publish()
            }
            if ContinuousClock.now - lastHeartbeat >= .seconds(options.heartbeatSeconds) {
                hub.heartbeat()
                lastHeartbeat = .now
            }
            if let watch {
                // Records come in bursts (a row's finish and the next one's start): once one is
                // seen, the rest of the burst is let in for ``ServeOptions/coalesceMilliseconds``
                // and the pages get one document for it, not one per record.
                if watch.wait(milliseconds: runningPid == nil ? 1000 : 250), options.coalesceMilliseconds > 0 {
                    _ = watch.wait(milliseconds: Int32(options.coalesceMilliseconds))
                }
            } else {
                usleep(useconds_t(options.journalPollMilliseconds * 1000))
            }
        }
    }

    /// Computes and publishes the document; returns the pid of a run still running (to notice its death).
    private func publish() -> Int32? {
        do {
            let (document, pid) = try reader.runState()
            hub.publish(encoder.encode(document))
            return pid
        } catch {
            // The site cannot be read right now (site.yaml mid-edit): the pages keep the last
            // document, and the next change or time-out tries again.
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
