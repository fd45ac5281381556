public import Foundation

/// Debian's headless Chromium driven through `chromedriver` (packages `chromium` and
/// `chromium-driver`, which `Tests/Support/install-deps.sh test` installs): the driver listens on a
/// free 127.0.0.1 port, the browser keeps its profile in a fresh directory, and ``quit()`` ends
/// both and removes the profile.
public final class HeadlessChromium: @unchecked Sendable {
    public static let browserPath = "/usr/bin/chromium"
    public static let driverPath = "/usr/bin/chromedriver"

    /// Why Chromium cannot run here (not installed), or nil when the browser tests should run.
    /// Under `CI=true` it is always nil: a CI machine has run `install-deps.sh test`, so a missing
    /// browser is a failure there, never a skip.
    public static let unavailable: String? = {
        let missing = [browserPath, driverPath].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard !missing.isEmpty else { return nil }
        let reason = "\(missing.joined(separator: " and ")) missing: Tests/Support/install-deps.sh test installs chromium and chromium-driver"
        if ProcessInfo.processInfo.environment["CI"] == "true" { return nil }
        print("SKIPPING the browser tests: \(reason)")
        return reason
    }()

    /// The session; every page command goes through it.
    public let driver: WebDriver
    private let process: Process
    private let directory: URL
    /// The browser's TMPDIR (under /tmp), removed by ``quit()``.
    private let temporary: String
    private var quitted = false

    /// Starts the driver and a browser whose window is `width` x `height`; `directory` (created,
    /// then removed by ``quit()``) holds the profile and the driver's log.
    public init(directory: URL, width: Int = 1280, height: Int = 900) throws {
        if let reason = Self.unavailable { throw WebDriver.Failure(error: "unavailable", message: reason) }
        for path in [Self.browserPath, Self.driverPath] where !FileManager.default.isExecutableFile(atPath: path) {
            throw WebDriver.Failure(error: "unavailable", message: "CI=true but \(path) is missing: run Tests/Support/install-deps.sh test")
        }
        self.directory = directory
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("profile"), withIntermediateDirectories: true)
        let port = try SSHHosts.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.driverPath)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1", "--log-path=" + directory.appendingPathComponent("chromedriver.log").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // The browser's own temporary directories (org.chromium.Chromium.scoped_dir.*, sockets
        // inside) go to a short directory of their own, removed by quit(), not into the test run's
        // TMPDIR where one was left behind (below `directory` the socket paths would be too long).
        var template = Array("/tmp/phasekit-chromium.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw WebDriver.Failure(error: "setup", message: "cannot create a directory under /tmp for the browser") }
        temporary = String(cString: made)
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 }
        try process.run()
        driver = WebDriver(port: port)
        do {
            guard Wait.until(30, { driver.ready }) else {
                throw WebDriver.Failure(error: "unavailable", message: "chromedriver did not become ready on port \(port) within 30 s")
            }
            try driver.start(capabilities: capabilities(width: width, height: height))
        } catch {
            quit()
            throw error
        }
    }

    deinit { quit() }

    /// The W3C capabilities: headless Chromium with a fresh profile, without its sandbox (which
    /// Chromium refuses to start as root, and which containers often cannot give it; the tests
    /// open only phasekit's own page on 127.0.0.1), and nothing that reaches the network unasked
    /// (no component updates, no background networking).
    private func capabilities(width: Int, height: Int) -> [String: Any] {
        let arguments = [
            "--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
            "--window-size=\(width),\(height)", "--user-data-dir=" + directory.appendingPathComponent("profile").path, "--no-sandbox",
        ]
        return [
            "browserName": "chrome",
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": ["binary": Self.browserPath, "args": arguments],
        ]
    }

    /// Ends the session, stops the driver and every browser process of this profile, and removes
    /// the directory. Safe to call twice.
    public func quit() {
        guard !quitted else { return }
        quitted = true
        // Cleanup: a session that already died has nothing to end; the processes are killed below anyway.
        try? driver.end()
        // SIGKILL, not SIGTERM: a child of the test process inherits the signals it ignores.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        Self.killProcesses(mentioning: directory.path)
        // Cleanup: the test scratch directory is removed at exit whatever remains here.
        try? FileManager.default.removeItem(at: directory)
        try? FileManager.default.removeItem(atPath: temporary)   // the browser's TMPDIR: same cleanup
    }

    /// Kills (SIGKILL) the processes whose command line names `path`: the browser of this profile
    /// and its helpers, which outlive a driver that was killed.
    static func killProcesses(mentioning path: String) {
        // Cleanup: /proc lists the processes; one that cannot be listed has nothing to kill.
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            if line.contains(path) { kill(pid, SIGKILL) }
        }
    }

    /// Saves a screenshot of the current tab as `.build/artifacts/browser/NAME.png` in the
    /// repository, prints its path and returns it.
    @discardableResult
    public func screenshot(_ name: String) throws -> String {
        let folder = BuiltPhasekit.repository.appendingPathComponent(".build/artifacts/browser")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name + ".png").path
        try driver.screenshot().write(to: URL(fileURLWithPath: path))
        print("screenshot: \(path)")
        return path
    }

    /// Waits until a script returns true (polled every 50 ms), or throws with `what` after `seconds`.
    public func waitUntil(_ seconds: Double, _ what: String, script: String, _ arguments: [Any] = []) throws {
        let deadline = Date().addingTimeInterval(seconds)
        var last: Any = NSNull()
        while Date() < deadline {
            last = try driver.execute(script, arguments)
            if last as? Bool == true { return }
            usleep(50_000)
        }
        throw WebDriver.Failure(error: "timeout", message: "waited \(Int(seconds)) s for \(what) (last answer: \(last))")
    }

    /// The rendered text (`innerText`) of the first element matching `selector`, or nil when none
    /// matches; read in one script, so that a page redrawing meanwhile cannot make it stale.
    public func text(_ selector: String) throws -> String? {
        try driver.execute("var e = document.querySelector(arguments[0]); return e ? e.innerText : null;", [selector]) as? String
    }
}
