import Foundation

/// Reading the peers' printed output (row 9).
enum PeerOutput {
    /// pyinfra 3: after `--dry`, the "Detected changes" table (its Change column per operation,
    /// `1 (peer1)` or `-`); after an apply, the "Results" table's `Grand total` row (its Success
    /// column: operations that changed something).
    static func pyinfraChanges(_ output: String) throws -> Int {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        func number(_ token: String) -> Int? { token == "-" ? 0 : Int(token) }
        if let results = lines.firstIndex(of: "--> Results:") {
            guard let total = lines[results...].first(where: { $0.hasPrefix("Grand total") }) else {
                throw BenchError("pyinfra printed Results without a Grand total")
            }
            let tokens = total.split(whereSeparator: { $0 == " " }).map(String.init)
            guard tokens.count >= 4, let success = number(tokens[3]) else { throw BenchError("pyinfra's Grand total is unreadable: \(total)") }
            return success
        }
        if let detected = lines.firstIndex(of: "--> Detected changes:") {
            var count = 0
            for line in lines[(detected + 2)...] {
                if line.isEmpty { break }
                let tokens = line.split(whereSeparator: { $0 == " " }).map(String.init)
                guard tokens.count >= 2, let change = number(tokens[1]) else { throw BenchError("pyinfra's change row is unreadable: \(line)") }
                count += change
            }
            return count
        }
        if lines.contains(where: { $0.hasPrefix("--> No changes detected") }) { return 0 }
        throw BenchError("pyinfra printed neither Detected changes nor Results")
    }

    /// The last lines of a tool's output that say what went wrong (else its last lines), for the safety column.
    static func lastWords(_ output: String, lines count: Int = 2) -> String {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("Traceback") && !$0.hasPrefix("File ") && !$0.hasPrefix("Operation ") }
        let telling = lines.filter { line in
            ["error", "fatal", "unreachable=1", "stopped", "lost", "failed:"].contains { line.lowercased().contains($0) }
        }
        // A line can be a whole JSON result (Ansible's UNREACHABLE): each is cut to 160 characters.
        return (telling.isEmpty ? lines : telling).suffix(count).map { $0.count > 160 ? $0.prefix(160) + " …" : $0 }
            .joined(separator: " / ")
    }
}
