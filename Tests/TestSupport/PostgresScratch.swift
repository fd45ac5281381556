import Foundation

/// A throw-away database on the suite's private PostgreSQL server (`Tests/Support/with-postgres.sh`
/// exports its URL, its `pg_ctl` and its data directory), and what the fault campaign does with
/// one: read it whole, restart the server under it.
public struct PostgresScratch: Sendable {
    /// The server's URL (`postgres://ROLE@/phasekit_test?host=SOCKET&port=PORT`), when it runs.
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment["PHASEKIT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the server can also be restarted (with-postgres.sh says how).
    public static var restartable: Bool {
        let environment = ProcessInfo.processInfo.environment
        return serverURL != nil && environment["PHASEKIT_TEST_POSTGRES_CTL"] != nil && environment["PHASEKIT_TEST_POSTGRES_DATA"] != nil
    }

    /// The database's name.
    public let name: String
    /// Its URL (the server's, with this database).
    public let url: String

    /// Creates a new empty database on the server.
    public init() throws {
        guard let server = Self.serverURL else { throw Failure(description: "no PostgreSQL server (PHASEKIT_TEST_POSTGRES_URL)") }
        name = "campaign_" + UUID().uuidString.prefix(8).lowercased()
        url = server.replacingOccurrences(of: "/phasekit_test?", with: "/\(name)?")
        try Self.psql(server, "CREATE DATABASE \(name)")
    }

    /// Drops the database (its sessions ended first).
    public func drop() {
        guard let server = Self.serverURL else { return }
        // Test cleanup: a database that cannot be dropped only costs space on a throw-away server.
        try? Self.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Every row of every table, as `pg_dump --data-only --inserts` lines, sorted (physical row
    /// order differs after updates) and without sequence positions (a rolled-back insert advances
    /// a sequence too).
    public func dump() throws -> [String] {
        let output = try Self.tool("pg_dump", ["--data-only", "--inserts", "--no-owner", "--dbname", url])
        return output.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("INSERT INTO") }
            .sorted()
    }

    /// Restarts the server (fast shutdown: every session is ended), waiting until it accepts connections.
    public static func restartServer() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let control = environment["PHASEKIT_TEST_POSTGRES_CTL"], let data = environment["PHASEKIT_TEST_POSTGRES_DATA"] else {
            throw Failure(description: "with-postgres.sh did not say how to restart the server")
        }
        // The server's output goes to its log beside the data directory (as with-postgres.sh
        // started it): a server holding this process's pipe would keep the read below waiting.
        let log = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent("server.log").path
        _ = try run("/usr/sbin/runuser", ["-u", "postgres", "--", control, "-D", data, "-l", log, "-m", "fast", "-w", "restart"])
    }

    private static func psql(_ url: String, _ command: String) throws {
        _ = try tool("psql", ["-v", "ON_ERROR_STOP=1", "-q", "-d", url, "-c", command])
    }

    /// Runs one of the server's client tools (next to its pg_ctl, else on PATH).
    private static func tool(_ name: String, _ arguments: [String]) throws -> String {
        let control = ProcessInfo.processInfo.environment["PHASEKIT_TEST_POSTGRES_CTL"]
        let beside = control.map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent(name).path }
        let path = beside.flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil } ?? "/usr/bin/\(name)"
        return try run(path, arguments)
    }

    private static func run(_ path: String, _ arguments: [String]) throws -> String {
        let finished = try CleanSpawn.run(path, arguments)
        guard finished.status == 0 else {
            throw Failure(description: "\(path) \(arguments.joined(separator: " ")): status \(finished.status): \(finished.errors)")
        }
        return finished.output
    }

    /// A failed PostgreSQL operation of the tests.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}
