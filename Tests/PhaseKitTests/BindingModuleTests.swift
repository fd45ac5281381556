import LuaRuntime
import Testing
@testable import PhaseKit

/// A module declaration is checked when it is added: no module twice, no binding twice, no
/// binding listed under a module its spec does not name.
@Suite("Binding module declarations")
struct BindingModuleTests {
    static func binding(_ name: String, module: String = "") -> Binding {
        Binding(BindingSpec(module: module, name: name, summary: "A test binding.", effect: .read)) { _, _ in 0 }
    }

    @Test func aModuleGivesItsBindingsItsName() throws {
        var registry = BindingRegistry()
        try registry.add(BindingModule("demo", summary: "Demo.", bindings: [Self.binding("get"), Self.binding("put", module: "demo")]))
        #expect(registry.bindings(of: "demo").map(\.spec.qualifiedName) == ["demo.get", "demo.put"])
        #expect(registry.moduleSummaries["demo"] == "Demo.")
    }

    @Test func aModuleRegisteredTwiceIsRefused() throws {
        var registry = BindingRegistry()
        try registry.add(BindingModule("demo", summary: "Demo.", bindings: [Self.binding("get")]))
        #expect(throws: PhaseKitError.internal("module demo registered twice")) {
            try registry.add(BindingModule("demo", summary: "Again.", bindings: [Self.binding("other")]))
        }
        #expect(registry.bindings.map(\.spec.qualifiedName) == ["demo.get"])
    }

    @Test func aBindingDeclaredTwiceIsRefused() {
        var registry = BindingRegistry()
        #expect(throws: PhaseKitError.internal("binding demo.get declared twice")) {
            try registry.add(BindingModule("demo", summary: "Demo.", bindings: [Self.binding("get"), Self.binding("get")]))
        }
        #expect(registry.bindings.isEmpty && registry.moduleSummaries.isEmpty)
    }

    @Test func aBindingOfAnotherModuleIsRefused() {
        var registry = BindingRegistry()
        #expect(throws: PhaseKitError.internal("binding other.get is listed in module demo")) {
            try registry.add(BindingModule("demo", summary: "Demo.", bindings: [Self.binding("get", module: "other")]))
        }
        #expect(registry.bindings.isEmpty)
    }

    @Test func theServerSelectorIsDeclaredOnce() {
        var registry = BindingRegistry()
        let selector = BindingModule.ServerSelector(target: "things") { _, _ in }
        #expect(throws: PhaseKitError.internal("binding demo.on declared twice")) {
            try registry.add(BindingModule("demo", summary: "Demo.", onServer: selector, bindings: [Self.binding("on")]))
        }
    }

    @Test func theStandardModulesDeclareTheirTraits() {
        let registry = BindingRegistry.standard
        let rollingBack = registry.bindings.filter { $0.traits.contains(.rollsBackWithStep) }.map(\.spec.qualifiedName).sorted()
        #expect(rollingBack == ["db.exec", "db.query", "db.rows", "db.value"])
        #expect(registry.traits(of: "volumes.create") == [])
        // The reads that can discover a write describe it as db.exec describes its calls.
        for name in ["db.query", "db.rows", "db.value"] {
            #expect(registry.bindings.first { $0.spec.qualifiedName == name }?.describe != nil, "\(name)")
        }
    }
}
