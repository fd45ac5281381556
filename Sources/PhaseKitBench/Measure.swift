import Foundation

/// Nanoseconds on the monotonic clock.
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// User plus system CPU time of this process (all threads), in nanoseconds.
func processCPUNanoseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func ns(_ time: timeval) -> Double { Double(time.tv_sec) * 1e9 + Double(time.tv_usec) * 1e3 }
    return ns(usage.ru_utime) + ns(usage.ru_stime)
}

/// Runs `body` once and returns its wall-clock time in nanoseconds.
func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = monotonicNanoseconds()
    try body()
    return Double(monotonicNanoseconds() - start)
}

/// The median of some samples (the mean of the middle two for an even count).
func median(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// Paired measurements of phasekit and its baseline, taken alternately in one process so that
/// load from other work on the machine affects both sides alike.
struct PairedSamples {
    var subject: [Double] = []
    var baseline: [Double] = []

    /// Runs `rounds` pairs, alternating which side goes first, after one unrecorded warm-up pair.
    static func collect(rounds: Int, subject: () throws -> Double, baseline: () throws -> Double) rethrows -> PairedSamples {
        _ = try subject()
        _ = try baseline()
        var samples = PairedSamples()
        for round in 0..<rounds {
            if round % 2 == 0 {
                samples.subject.append(try subject())
                samples.baseline.append(try baseline())
            } else {
                samples.baseline.append(try baseline())
                samples.subject.append(try subject())
            }
        }
        return samples
    }

    /// The median of the per-pair ratios subject / baseline.
    var medianRatio: Double { median(zip(subject, baseline).map { $0 / $1 }) }
}

/// One line of the results table.
struct ResultRow {
    var benchmark: String
    var subject: String
    var baseline: String
    /// subject / baseline (or the figure the target is about).
    var ratio: Double
    /// Such as `<= 1.5x`.
    var target: String
    /// nil for a context row without a target.
    var passed: Bool?
    /// A note printed under the table, such as how the figure was taken.
    var note: String?
}

/// Formats a duration in nanoseconds with a readable unit.
func formatDuration(nanoseconds: Double) -> String {
    switch nanoseconds {
    case ..<1_000: String(format: "%.1f ns", nanoseconds)
    case ..<1_000_000: String(format: "%.1f us", nanoseconds / 1_000)
    case ..<1_000_000_000: String(format: "%.1f ms", nanoseconds / 1_000_000)
    default: String(format: "%.2f s", nanoseconds / 1_000_000_000)
    }
}

/// Prints the rows as one Markdown table, followed by their notes.
func printTable(_ rows: [ResultRow]) {
    let header = ["benchmark", "phasekit", "baseline", "ratio", "target", "result"]
    let cells = rows.map { row in
        [row.benchmark, row.subject, row.baseline, row.ratio.isNaN ? "-" : String(format: row.ratio < 0.095 ? "%.3fx" : "%.2fx", row.ratio), row.target, row.passed.map { $0 ? "PASS" : "MISS" } ?? "info"]
    }
    let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
    func line(_ values: [String]) -> String {
        "| " + zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
    }
    print(line(header))
    print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|")
    for row in cells { print(line(row)) }
    let notes = rows.compactMap { row in row.note.map { "- \(row.benchmark): \($0)" } }
    if !notes.isEmpty {
        print("")
        notes.forEach { print($0) }
    }
}
