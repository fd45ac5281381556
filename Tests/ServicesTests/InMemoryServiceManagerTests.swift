import Testing
import Services

@Suite("InMemoryServiceManager")
struct InMemoryServiceManagerTests {
    @Test("same semantics as the real backends")
    func semantics() throws {
        let manager = InMemoryServiceManager(services: ["web": .stopped, "db": .running])
        try manager.start("db")
        try manager.stop("web")
        #expect(manager.actions.isEmpty)
        try manager.start("web")
        manager.setState(.failed, of: "db")
        #expect(try manager.list() == [ServiceInfo(name: "db", state: .failed), ServiceInfo(name: "web", state: .running)])
        try manager.restart("db")
        try manager.stop("web")
        #expect(manager.actions == ["start web", "restart db", "stop web"])
        #expect(try manager.status("db") == .running)
        #expect(try manager.status("web") == .stopped)
        let error = try #require(throws: ServiceError.self) { try manager.start("ghost") }
        #expect(error.kind == .unknownService)
    }
}
