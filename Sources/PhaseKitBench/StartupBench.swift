import Foundation

/// Target 5: `phasekit run empty.lua` vs `lua5.4 empty.lua`, alternating, medians of many runs.
enum StartupBench {
    static func run(rounds: Int, directory: String) throws -> ResultRow {
        let phasekit = releaseDirectory() + "/phasekit"
        guard FileManager.default.isExecutableFile(atPath: phasekit) else {
            throw BenchError("\(phasekit) is missing: build it with `make bench` (`swift build -c release --static-swift-stdlib --product phasekit`)")
        }
        let script = directory + "/empty.lua"
        try "".write(toFile: script, atomically: true, encoding: .utf8)
        func measure(_ arguments: [String]) throws -> Double {
            let usage = try runChild(arguments)
            guard usage.status == 0 else { throw BenchError("\(arguments.joined(separator: " ")) exited with \(usage.status)") }
            return usage.nanoseconds
        }
        let samples = try PairedSamples.collect(rounds: rounds) {
            try measure([phasekit, "run", script])
        } baseline: {
            try measure(["/usr/bin/lua5.4", script])
        }
        let phasekitMedian = median(samples.subject)
        return ResultRow(
            benchmark: "5. start-up, empty script", subject: formatDuration(nanoseconds: phasekitMedian),
            baseline: formatDuration(nanoseconds: median(samples.baseline)) + " (lua5.4)", ratio: samples.medianRatio,
            target: "median < 50 ms", passed: phasekitMedian < 50_000_000,
            note: "`phasekit run empty.lua` (release) vs `lua5.4 empty.lua`, \(rounds) alternating runs; the target is phasekit's median, the ratio is context"
        )
    }
}
