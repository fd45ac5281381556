import Foundation

/// One phase of one tool, measured.
struct PeerSample {
    var wall: Double
    /// Controller CPU: the tool's process and every descendant it waited for (ssh clients included).
    var controllerCPU: Double
    /// CPU of everything the three hosts' sshd ran for the phase (see `PeerHosts`).
    var hostCPU: Double
    var peakResidentBytes: Int
    var connections: Int
    var sessions: Int
    /// What the tool's output says it planned or changed; nil when it could not be read.
    var changes: Int?
    var status: Int32
}

/// The medians of some samples, metric by metric.
struct PeerMedian {
    var wall, controllerCPU, hostCPU: Double
    var peakResidentBytes, connections, sessions: Int
    var changes: [Int?]
    var runs: Int

    init(_ samples: [PeerSample]) {
        wall = median(samples.map(\.wall))
        controllerCPU = median(samples.map(\.controllerCPU))
        hostCPU = median(samples.map(\.hostCPU))
        peakResidentBytes = Int(median(samples.map { Double($0.peakResidentBytes) }))
        connections = Int(median(samples.map { Double($0.connections) }))
        sessions = Int(median(samples.map { Double($0.sessions) }))
        changes = samples.map(\.changes)
        runs = samples.count
    }
}

/// Runs one tool's three phases from the reset starting state and checks the work.
enum PeerMeasure {
    /// One phase of `tool`: the tool run to completion, the hosts tallied before and after.
    static func phase(_ tool: PeerTool, _ phase: PeerPhase, log: String) throws -> (PeerSample, String) {
        let output = "\(tool.directory)/\(phase.rawValue.replacingOccurrences(of: " ", with: "-")).out"
        // A previous run's output: removing it keeps the parse to this run; none is fine.
        try? FileManager.default.removeItem(atPath: output)
        let before = try tool.hosts.tally()
        let command = tool.command(phase)
        let cost = try SpawnedProcess.run(command.arguments, environment: command.environment, outputPath: output)
        tool.afterPhase()
        let after = try tool.hosts.tally() - before
        let text = try readText(output)
        // Appended for the operator who wants to see what each tool printed; a failure loses only that copy.
        try? appendText("==== \(tool.name) \(phase.rawValue) (exit \(cost.status))\n\(clipped(text))\n", to: log)
        var changes: Int?
        do { changes = try tool.changes(output: text) } catch { changes = nil }
        let sample = PeerSample(wall: cost.nanoseconds, controllerCPU: cost.cpuNanoseconds, hostCPU: after.cpuNanoseconds,
                                peakResidentBytes: cost.peakResidentBytes, connections: after.connections, sessions: after.sessions,
                                changes: changes, status: cost.status)
        return (sample, text)
    }

    /// Reset, dry run, apply, dry run again; the problems found (a dry run that did not predict
    /// its apply, an apply that left the hosts off the desired state, a failed exit) are returned.
    static func cycle(_ tool: PeerTool, log: String) throws -> (samples: [PeerPhase: PeerSample], problems: [String]) {
        let roots = tool.hosts.names.indices.map { tool.hosts.hostDirectory($0) }
        try tool.workload.reset(roots: roots)
        var samples: [PeerPhase: PeerSample] = [:]
        var problems: [String] = []
        let expected = tool.workload.changes
        for phase in PeerPhase.allCases {
            let (sample, _) = try Self.phase(tool, phase, log: log)
            samples[phase] = sample
            let okStatus: Set<Int32> = tool.kind == .phasekit && !phase.applies ? [0, 2] : [0]
            if !okStatus.contains(sample.status) { problems.append("\(tool.name) \(phase.rawValue): exit \(sample.status)") }
            let want = phase == .again ? 0 : expected
            if sample.changes != want {
                problems.append("\(tool.name) \(phase.rawValue): \(sample.changes.map(String.init) ?? "unreadable") changes, expected \(want)")
            }
            if phase.applies, let difference = tool.workload.difference(roots: roots) {
                problems.append("\(tool.name) apply left: \(difference)")
            }
        }
        return (samples, problems)
    }
}

/// The first and last 20,000 characters of a long output (phasekit's JSON report of a big apply is
/// megabytes), for the log.
func clipped(_ text: String) -> String {
    guard text.count > 40_000 else { return text }
    return "\(text.prefix(20_000))\n[... \(text.count - 40_000) characters left out ...]\n\(text.suffix(20_000))"
}

/// Appends text to a file, creating it.
func appendText(_ text: String, to path: String) throws {
    if !FileManager.default.fileExists(atPath: path), !FileManager.default.createFile(atPath: path, contents: nil) {
        throw BenchError("cannot create \(path)")
    }
    guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchError("cannot open \(path)") }
    defer { handle.closeFile() }
    handle.seekToEndOfFile()
    handle.write(Data(text.utf8))
}

/// Formats bytes as MiB.
func formatMiB(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
