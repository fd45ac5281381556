import ArgumentParser
import Dispatch
import Foundation
import PhaseKit
import PhaseKitServe
import Synchronization

extension PhaseKitCommand {
    /// `phasekit serve --site DIR`: the Configuration Window, a live read-only web page of the site.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the site's Configuration Window: a live, read-only web page (see docs/operations.md).",
            discussion: "Listens on 127.0.0.1 unless --listen says otherwise; an address other than loopback needs --token-file, and then every request needs the token. Only GET and HEAD are served. Stop it with Ctrl-C."
        )

        @Option(name: .long, help: "The site directory (holds site.yaml); defaults to the current directory when it holds one.",
                completion: .directory)
        var site: String?

        @Option(name: .long, help: "Where to listen, ADDR:PORT (default 127.0.0.1 on a free port; port 0 picks one).")
        var listen: String?

        @Option(name: .customLong("token-file"), help: "A file holding the token every request must carry (required for a non-loopback address).",
                completion: .file())
        var tokenFile: String?

        @Option(name: .long, help: "A saved plan (run --plan-out FILE) to show under /api/plan.", completion: .file())
        var plan: String?

        func run() throws {
            let directory = try SiteOptions.requireDirectory(given: site)
            let siteConfiguration = try SiteConfiguration.load(directory: directory)
            var options = ServeOptions(siteDirectory: siteConfiguration.directory)
            do {
                if let listen { options.listen = try ListenAddress(parsing: listen) }
            } catch {
                throw ValidationError("\(error)")
            }
            options.token = try tokenFile.map(Self.readToken)
            if let plan {
                // Checked now, so that a wrong path is told at start rather than on the page.
                _ = try SavedPlan.read(from: plan)
                options.planFile = URL(fileURLWithPath: plan).standardizedFileURL.path
            }
            options.changeProviders = PhaseKitCommand.changeProviders
            let window: ConfigurationWindow
            do {
                window = try ConfigurationWindow(options: options)
            } catch let error as ServeError {
                switch error {
                case .usage(let message): throw ValidationError(message)
                case .refused(let message): throw PhaseKitError.refused(message)
                case .configuration(let message): throw PhaseKitError.configuration(message)
                }
            }
            try Self.serve(window, site: siteConfiguration, tokenFile: tokenFile)
        }

        /// Runs the server until it fails or the process is stopped (SIGINT, SIGTERM: nothing to
        /// save, serve only reads), printing where to open it.
        static func serve(_ window: ConfigurationWindow, site: SiteConfiguration, tokenFile: String?) throws {
            // A parent may have started serve with these signals blocked or ignored (both are
            // inherited): their default action (ending serve) is restored before any thread starts.
            var stopping = sigset_t()
            sigemptyset(&stopping)
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                sigaddset(&stopping, signalNumber)
                signal(signalNumber, SIG_DFL)
            }
            pthread_sigmask(SIG_UNBLOCK, &stopping, nil)
            let failure = Failure()
            let done = DispatchSemaphore(value: 0)
            let name = TerminalText.line(site.name)
            Task {
                do {
                    try await window.run { url, _ in
                        var lines: [String]
                        if let tokenFile {
                            let plain = url.split(separator: "?").first.map(String.init) ?? url
                            lines = ["Configuration Window of \(name): \(plain)",
                                     "Open it with this link (it works once, then a cookie keeps the session): \(url)",
                                     "Other clients: send Authorization: Bearer with the token in \(TerminalText.line(tokenFile)), or open \(plain)?token=TOKEN"]
                        } else {
                            lines = ["Configuration Window of \(name): \(url)"]
                        }
                        lines.append("Read-only: GET and HEAD only. Stop with Ctrl-C.")
                        // Written at once, unbuffered: whoever started serve reads the address now.
                        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                    }
                } catch {
                    failure.set(error)
                }
                done.signal()
            }
            done.wait()
            if let error = failure.error {
                throw PhaseKitError.configuration("phasekit serve stopped: \(error)")
            }
        }

        /// The token in `file`, without surrounding whitespace.
        static func readToken(_ file: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PhaseKitError.configuration("\(file): cannot read the token file")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard token.count >= 16, !token.contains(where: { $0.isWhitespace || $0 == ";" || $0 == "&" }) else {
                throw ValidationError("\(file): the token must be one word of at least 16 characters (no spaces, ';' or '&')")
            }
            return token
        }

        /// Why the server ended, handed from its task to the waiting command.
        final class Failure: Sendable {
            private let stored = Mutex<String?>(nil)

            var error: String? { stored.withLock { $0 } }

            func set(_ error: any Error) {
                let message = "\(error)"
                stored.withLock { $0 = message }
            }
        }
    }
}
