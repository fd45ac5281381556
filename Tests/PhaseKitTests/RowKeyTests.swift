import PhaseKit
import Testing

/// The `step@server` form of a run's rows, written and read in one place.
@Suite("Row keys")
struct RowKeyTests {
    @Test func theTextFormRoundTrips() {
        let perServer = RowKey(step: "configure/configure/15_reset_apply_process", server: "recovery1")
        #expect(perServer.text == "configure/configure/15_reset_apply_process@recovery1")
        #expect(RowKey(parsing: perServer.text) == perServer)
        let once = RowKey(step: "sync/io/1_terminate_requests", server: nil)
        #expect(once.text == "sync/io/1_terminate_requests@")
        #expect(RowKey(parsing: once.text) == once)
        #expect(RowKey(parsing: "sync/io/1_terminate_requests") == once)
        #expect(Journal.key(step: once.step, server: nil) == once.text)
        #expect(PlannedWrites.key(step: perServer.step, server: perServer.server) == perServer.text)
    }
}
