import Foundation

// `make bench`: every benchmark measures phasekit and its baseline side by side in this one
// process run and prints one table. Set BENCH_ONLY=1,2 to run some rows only, BENCH_ROUNDS=n to
// change how many pairs are measured.

let selected = ProcessInfo.processInfo.environment["BENCH_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }
func wanted(_ number: String) -> Bool { selected?.contains(number) ?? true }
/// BENCH_ROUNDS overrides the number of measured pairs (for profiling under callgrind).
let roundsOverride = ProcessInfo.processInfo.environment["BENCH_ROUNDS"].flatMap { Int($0) }
func rounds(_ standard: Int) -> Int { roundsOverride ?? standard }

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }

var rows: [ResultRow] = []
do {
    if wanted("1") { rows.append(contentsOf: try BindingBench.bindingCall(rounds: rounds(15), directory: scratch)) }
    if wanted("2") { rows.append(try BindingBench.policy(rounds: rounds(15), directory: scratch)) }
    if wanted("5") { rows.append(try StartupBench.run(rounds: rounds(31), directory: scratch)) }
} catch {
    printTable(rows)
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
printTable(rows)
