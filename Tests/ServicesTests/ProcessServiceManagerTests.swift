import Foundation
import Glibc
import Testing
@testable import Services

@Suite("ProcessServiceManager with real processes")
struct ProcessServiceManagerTests {
    @Test("start runs the command detached, status sees it, stop ends it and removes the pidfile")
    func startStatusStop() throws {
        let sandbox = try ProcessSandbox([ProcessServiceDefinition(name: "sleeper", command: ["sleep", "300"])])
        defer { sandbox.tearDown() }
        let manager = sandbox.manager
        #expect(try manager.status("sleeper") == .stopped)
        try manager.start("sleeper")
        #expect(try manager.status("sleeper") == .running)
        let record = try #require(sandbox.record("sleeper"))
        let stat = try #require(ProcessStat.read(pid: record.pid))
        #expect(stat.startTime == record.startTime)
        // Detached: it leads its own session and process group, and is not our child.
        #expect(stat.processGroup == record.pid)
        #expect(getsid(record.pid) == record.pid)
        var status: Int32 = 0
        #expect(waitpid(record.pid, &status, WNOHANG) == -1 && errno == ECHILD)
        let command = try String(contentsOfFile: "/proc/\(record.pid)/cmdline", encoding: .utf8)
        #expect(command.split(separator: "\0") == ["sleep", "300"])

        try manager.stop("sleeper")
        #expect(try manager.status("sleeper") == .stopped)
        #expect(!FileManager.default.fileExists(atPath: manager.pidFilePath(for: "sleeper")))
        #expect(ProcessSandbox.eventually { ProcessStat.read(pid: record.pid).map(\.isZombie) ?? true })
    }

    @Test("start and stop are idempotent: a second start keeps the same process, a second stop does nothing")
    func idempotent() throws {
        let sandbox = try ProcessSandbox([ProcessServiceDefinition(name: "sleeper", command: ["sleep", "300"])])
        defer { sandbox.tearDown() }
        try sandbox.manager.start("sleeper")
        let first = try #require(sandbox.record("sleeper"))
        try sandbox.manager.start("sleeper")
        #expect(sandbox.record("sleeper") == first)
        try sandbox.manager.stop("sleeper")
        try sandbox.manager.stop("sleeper")
        #expect(try sandbox.manager.status("sleeper") == .stopped)
    }

    @Test("restart replaces the process")
    func restart() throws {
        let sandbox = try ProcessSandbox([ProcessServiceDefinition(name: "sleeper", command: ["sleep", "300"])])
        defer { sandbox.tearDown() }
        try sandbox.manager.start("sleeper")
        let first = try #require(sandbox.record("sleeper"))
        try sandbox.manager.restart("sleeper")
        let second = try #require(sandbox.record("sleeper"))
        #expect(second != first)
        #expect(try sandbox.manager.status("sleeper") == .running)
        try sandbox.manager.stop("sleeper")
    }

    @Test("a command that ignores SIGTERM is killed with SIGKILL, children included")
    func sigkillPath() throws {
        let sandbox = try ProcessSandbox(
            [ProcessServiceDefinition(name: "stubborn", command: ["sh", "-c", "trap '' TERM; sleep 300 & wait"])],
            terminationGrace: .milliseconds(300))
        defer { sandbox.tearDown() }
        try sandbox.manager.start("stubborn")
        let record = try #require(sandbox.record("stubborn"))
        #expect(try ProcessSandbox.eventually { try ProcessStat.groupHasLiveMembers(record.pid) })
        let clock = ContinuousClock()
        let began = clock.now
        try sandbox.manager.stop("stubborn")
        #expect(clock.now - began >= .milliseconds(300), "SIGTERM alone must not have stopped it")
        #expect(try !ProcessStat.groupHasLiveMembers(record.pid))
        #expect(try sandbox.manager.status("stubborn") == .stopped)
    }

    @Test("a service killed behind our back is reported failed, and stop clears it")
    func crashDetection() throws {
        let sandbox = try ProcessSandbox([ProcessServiceDefinition(name: "sleeper", command: ["sleep", "300"])])
        defer { sandbox.tearDown() }
        try sandbox.manager.start("sleeper")
        let record = try #require(sandbox.record("sleeper"))
        kill(record.pid, SIGKILL)
        #expect(ProcessSandbox.eventually { (try? sandbox.manager.status("sleeper")) == .failed })
        #expect(try sandbox.manager.list() == [ServiceInfo(name: "sleeper", state: .failed)])
        try sandbox.manager.stop("sleeper")
        #expect(try sandbox.manager.status("sleeper") == .stopped)
        try sandbox.manager.start("sleeper")
        #expect(try sandbox.manager.status("sleeper") == .running)
        try sandbox.manager.stop("sleeper")
    }

    @Test("a command that exits at once makes start fail with the log's last lines")
    func immediateExit() throws {
        let sandbox = try ProcessSandbox([
            ProcessServiceDefinition(name: "broken", command: ["sh", "-c", "echo 'config file /etc/x missing' >&2; exit 3"]),
            ProcessServiceDefinition(name: "absent", command: ["/nonexistent/phasekit-daemon"]),
        ])
        defer { sandbox.tearDown() }
        let error = try #require(throws: ServiceError.self) { try sandbox.manager.start("broken") }
        #expect(error.kind == .actionFailed)
        #expect(error.message.contains("exited immediately"))
        #expect(error.message.contains("config file /etc/x missing"))
        #expect(try sandbox.manager.status("broken") == .failed)

        let missing = try #require(throws: ServiceError.self) { try sandbox.manager.start("absent") }
        #expect(missing.kind == .actionFailed)
        #expect(missing.message.contains("/nonexistent/phasekit-daemon"))
    }

    @Test("working directory and environment reach the command; output goes to the log")
    func workingDirectoryAndEnvironment() throws {
        let sandbox = try ProcessSandbox([ProcessServiceDefinition(
            name: "env", command: ["sh", "-c", "echo \"cwd=$(pwd) marker=$PHASEKIT_MARKER\"; exec sleep 300"],
            workingDirectory: "/tmp", environment: ["PHASEKIT_MARKER": "quince"])])
        defer { sandbox.tearDown() }
        try sandbox.manager.start("env")
        let log = sandbox.manager.logPath(for: "env")
        #expect(ProcessSandbox.eventually {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("cwd=/tmp marker=quince")
        })
        try sandbox.manager.stop("env")
    }

    @Test("a reused pid with another start time is failed, not running, and is never signalled")
    func pidReuseGuard() throws {
        let bystander = Process()
        bystander.executableURL = URL(fileURLWithPath: "/bin/sleep")
        bystander.arguments = ["300"]
        try bystander.run()
        defer { kill(bystander.processIdentifier, SIGKILL); bystander.waitUntilExit() }
        let sandbox = try ProcessSandbox([ProcessServiceDefinition(name: "sleeper", command: ["sleep", "300"])])
        defer { sandbox.tearDown() }
        let stat = try #require(ProcessStat.read(pid: bystander.processIdentifier))
        try FileManager.default.createDirectory(atPath: sandbox.directory, withIntermediateDirectories: true)
        try ProcessPidFile(pid: stat.pid, startTime: stat.startTime + 1).write(to: sandbox.manager.pidFilePath(for: "sleeper"))

        #expect(try sandbox.manager.status("sleeper") == .failed)
        try sandbox.manager.stop("sleeper")
        #expect(try sandbox.manager.status("sleeper") == .stopped)
        #expect(bystander.isRunning)
        #expect(ProcessStat.read(pid: stat.pid)?.isZombie == false)
    }

    @Test("a service whose pidfile was lost is still found: running, never started twice, and stopped")
    func lostPidfile() throws {
        let sandbox = try ProcessSandbox([ProcessServiceDefinition(name: "sleeper", command: ["sleep", "300"])])
        defer { sandbox.tearDown() }
        try sandbox.manager.start("sleeper")
        let record = try #require(sandbox.record("sleeper"))
        defer { kill(-record.pid, SIGKILL) }
        try FileManager.default.removeItem(atPath: sandbox.directory)   // state/ removed
        #expect(try sandbox.manager.status("sleeper") == .running)
        try sandbox.manager.start("sleeper")
        #expect(sandbox.record("sleeper") == nil, "start must not start a second copy")
        #expect(try ProcessServiceManager.markedProcesses(sandbox.manager.marker(for: "sleeper")).map(\.pid) == [record.pid])
        try sandbox.manager.stop("sleeper")
        #expect(ProcessSandbox.eventually { ProcessStat.read(pid: record.pid).map(\.isZombie) ?? true })
        #expect(try sandbox.manager.status("sleeper") == .stopped)
    }

    @Test("two processes carrying a service's marker: start and stop refuse, naming them")
    func ambiguousProcessesAreRefused() throws {
        // The service puts a second session leader, carrying its environment, beside itself.
        let sandbox = try ProcessSandbox([ProcessServiceDefinition(
            name: "sleeper", command: ["sh", "-c", "setsid sleep 300 & exec sleep 300"])])
        defer { sandbox.tearDown() }
        let marked = { try ProcessServiceManager.markedProcesses(sandbox.manager.marker(for: "sleeper")) }
        defer { for process in (try? marked()) ?? [] { kill(process.pid, SIGKILL) } }
        try sandbox.manager.start("sleeper")
        let first = try #require(sandbox.record("sleeper"))
        #expect(try ProcessSandbox.eventually { try marked().filter { $0.session == $0.pid }.count == 2 }, "\((try? marked()) ?? [])")
        #expect(try sandbox.manager.status("sleeper") == .running, "its pidfile still tells which one is the service")
        try FileManager.default.removeItem(atPath: sandbox.manager.pidFilePath(for: "sleeper"))
        #expect(try sandbox.manager.status("sleeper") == .failed)
        for action in [sandbox.manager.start, sandbox.manager.stop] {
            let error = try #require(throws: ServiceError.self) { try action("sleeper") }
            #expect(error.message.contains("cannot tell which process is the service"))
            #expect(error.message.contains(String(first.pid)))
        }
        #expect(try marked().count == 2, "nothing was started or stopped")
    }

    @Test("an undefined service is unknownService for every operation")
    func unknownService() throws {
        let sandbox = try ProcessSandbox([])
        defer { sandbox.tearDown() }
        for operation in [sandbox.manager.start, sandbox.manager.stop, sandbox.manager.restart, { _ = try sandbox.manager.status($0) }] {
            let error = try #require(throws: ServiceError.self) { try operation("ghost") }
            #expect(error.kind == .unknownService)
            #expect(error.service == "ghost")
        }
    }

    @Test("bad definitions are refused", arguments: [
        [ProcessServiceDefinition(name: "a", command: [])],
        [ProcessServiceDefinition(name: "../a", command: ["true"])],
        [ProcessServiceDefinition(name: "a", command: ["true"]), ProcessServiceDefinition(name: "a", command: ["false"])],
    ])
    func badDefinitions(_ services: [ProcessServiceDefinition]) throws {
        let error = try #require(throws: ServiceError.self) {
            try ProcessServiceManager(stateDirectory: "/nonexistent", services: services)
        }
        #expect(error.kind == .backendUnavailable)
    }

    @Test("the pidfile and /proc/PID/stat parsers", arguments: [
        ("4242 (sleep) S 1 4242 4242 0 -1 4194560 99 0 0 0 0 0 0 0 20 0 1 0 98765 2260992 128 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0",
         ProcessStat(pid: 4242, state: "S", processGroup: 4242, startTime: 98765, session: 4242)),
        ("77 (a) b (c)) Z 1 70 70 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0",
         ProcessStat(pid: 77, state: "Z", processGroup: 70, startTime: 5, session: 70)),
    ])
    func parsers(_ text: String, _ expected: ProcessStat) {
        #expect(ProcessStat.parse(text) == expected)
        #expect(ProcessPidFile.parse("12 345\n") == ProcessPidFile(pid: 12, startTime: 345))
        #expect(ProcessPidFile.parse("12\n") == nil)
        #expect(ProcessStat.parse("garbage") == nil)
    }
}
