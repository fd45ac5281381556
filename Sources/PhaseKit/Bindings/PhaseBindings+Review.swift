import Foundation
import LuaRuntime

/// `phase.review`: mxsync's review file, for facts no binding can discover.
///
/// The step lists candidates; the file `state/review/NAME.txt` holds one line per candidate,
/// `* key  text` when marked and `  key  text` when not. The first call writes the file with the
/// proposed marks (phasekit's own file under `state/`, written in both modes: it is the operator's
/// worksheet, not a change to the world). Later calls keep the operator's marks, add new candidates
/// with their proposal, and return the set of marked keys.
extension PhaseBindings {
    static func review(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        guard let stateDirectory = invocation.dispatcher.stateDirectory else {
            throw PhaseKitError.binding("phase.review: needs a site (run with --site)")
        }
        let name = try call.string(1)
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]*$", options: .regularExpression) != nil else {
            throw LuaArgumentError(function: "phase.review", position: 1, "review names use letters, digits, '_', '.' and '-'")
        }
        var candidates: [(key: String, text: String, proposed: Bool)] = []
        for (index, item) in try call.table(2).array.enumerated() {
            guard case .table(let entry) = item, let key = entry["key"].stringValue, !key.isEmpty, !key.contains(" ") else {
                throw LuaArgumentError(function: "phase.review", position: 2, "item \(index + 1) needs a key without spaces")
            }
            candidates.append((key, entry["text"].stringValue ?? "", entry["proposed"] == .boolean(true)))
        }
        let directory = stateDirectory + "/review"
        let path = directory + "/\(name).txt"
        var marks: [String: Bool] = [:]
        if FileManager.default.fileExists(atPath: path) {
            // The operator's marks: a file that cannot be read is refused, never replaced by the proposals.
            let existing: String
            do {
                existing = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw PhaseKitError.binding("phase.review: \(path) cannot be read (\(FileErrorText.reason(of: error))); fix or remove it")
            }
            for line in existing.split(separator: "\n") where !line.hasPrefix("#") {
                let marked = line.hasPrefix("*")
                let key = line.dropFirst(marked ? 1 : 0).split(separator: " ", omittingEmptySubsequences: true).first.map(String.init)
                if let key { marks[key] = marked }
            }
        }
        var lines = [
            "# phasekit review: \(name)",
            "# Mark with '*' at the start of the line every entry the step should act on; remove the '*' otherwise.",
            "# Then run the procedure again (analysis shows the effect; execution uses the marks).",
        ]
        var marked: [LuaValue] = []
        for candidate in candidates {
            let isMarked = marks[candidate.key] ?? candidate.proposed
            if isMarked { marked.append(.text(candidate.key)) }
            lines.append("\(isMarked ? "*" : " ") \(candidate.key)  \(candidate.text)")
        }
        // A viewer's analysis (phasekit serve) reads the operator's marks and leaves the file alone.
        if invocation.dispatcher.writesWorksheets {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        try call.push(.table(LuaTable(array: marked)))
        try call.push(.text("state/review/\(name).txt"))
        return 2
    }
}
