import Foundation
import PhaseKit
import TestSupport
import Testing

extension RunReport {
    /// The report, after checking its JSON against docs/report.schema.json (each violation is a
    /// test issue): every report the fixtures produce passes through here.
    var checkedAgainstSchema: RunReport {
        let text = (try? ReportArchive.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        for violation in JSONSchemaValidator.reports.violations(ofJSON: text) {
            Issue.record("report of \(target) violates docs/report.schema.json: \(violation)")
        }
        return self
    }
}
