import Foundation

// `make bench`: every benchmark measures phasekit and its baseline side by side in this one
// process run and prints one table. Set BENCH_ONLY=1,2 to run some rows only (1 to 9; 4a or 4b for half of row 4; PHASEKIT_BENCH_ONLY
// is the same, and `peers` names row 9), BENCH_ROUNDS=n to change how many pairs are measured.

let selected = (ProcessInfo.processInfo.environment["PHASEKIT_BENCH_ONLY"] ?? ProcessInfo.processInfo.environment["BENCH_ONLY"])
    .map { Set($0.split(separator: ",").map { $0 == "peers" ? "9" : String($0) }) }
func wanted(_ number: String) -> Bool { selected?.contains(number) ?? true }
/// BENCH_ROUNDS overrides the number of measured pairs (for profiling under callgrind).
let roundsOverride = ProcessInfo.processInfo.environment["BENCH_ROUNDS"].flatMap { Int($0) }
func rounds(_ standard: Int) -> Int { roundsOverride ?? standard }

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

var rows: [ResultRow] = []
/// Runs one benchmark; a failure becomes a MISS row naming the error, and the others still run.
func attempt(_ name: String, into rows: inout [ResultRow], _ body: () throws -> [ResultRow]) {
    do {
        rows.append(contentsOf: try body())
    } catch {
        rows.append(ResultRow(benchmark: name, subject: "failed", baseline: "-", ratio: .nan, target: "-", passed: false,
                              note: "\(error)"))
    }
}
if wanted("1") { attempt("1. binding call", into: &rows) { try BindingBench.bindingCall(rounds: rounds(15), directory: scratch) } }
if wanted("2") { attempt("2. write binding policy", into: &rows) { [try BindingBench.policy(rounds: rounds(15), directory: scratch)] } }
if wanted("3") {
    attempt("3. sync IO phase 3, 1M addresses", into: &rows) {
        try DatabaseBench.run(rounds: rounds(5), directory: scratch, addresses: 1_000_000, inUse: 100_000)
    }
}
if wanted("4") || wanted("4a") || wanted("4b") {
    // The configure sites hold 3 x 10,000 volume files: on tmpfs, so that writing and deleting
    // them between runs is not dominated by the disk (fsync per volume, discard per unlink).
    let shm = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/phasekit-bench-\(getpid())" : scratch + "/shm"
    let configureScratch = ProcessInfo.processInfo.environment["BENCH_CONFIGURE_DIR"] ?? shm
    try FileManager.default.createDirectory(atPath: configureScratch, withIntermediateDirectories: true)
    // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
    defer { try? FileManager.default.removeItem(atPath: configureScratch) }
    if wanted("4") || wanted("4a") {
        attempt("4a. configure analysis scaling", into: &rows) {
            try ConfigureBench.analysis(rounds: rounds(3), directory: configureScratch, sizes: [100, 1000, 10000])
        }
    }
    let volumes = ProcessInfo.processInfo.environment["BENCH_EXEC_VOLUMES"].flatMap { Int($0) } ?? 1000
    if wanted("4") || wanted("4b") {
        attempt("4b. configure execution concurrency", into: &rows) {
            [try ConfigureBench.execution(rounds: rounds(5), directory: configureScratch, volumes: volumes)]
        }
    }
}
if wanted("5") { attempt("5. start-up", into: &rows) { [try StartupBench.run(rounds: rounds(31), directory: scratch)] } }
if wanted("6") { attempt("6. text processing", into: &rows) { [try TextBench.run(rounds: rounds(5), directory: scratch)] } }
if wanted("7") { attempt("7. servers over ssh", into: &rows) { try RemoteBench.run(rounds: rounds(5), directory: scratch) } }
if wanted("8") { attempt("8. configuration window", into: &rows) { try PageBench.run(rounds: rounds(5), directory: scratch) } }
var details: [String] = []
if wanted("9") { attempt("9. peers over ssh", into: &rows) { try PeerBench.run(directory: scratch + "/peers", details: &details) } }
printTable(rows)
for section in details { print("\n" + section) }
// Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
try? FileManager.default.removeItem(atPath: scratch)
// MISS rows are results, not failures; only a benchmark that could not run fails the command.
exit(rows.contains { $0.subject == "failed" } ? 1 : 0)
