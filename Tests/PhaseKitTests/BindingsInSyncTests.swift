import Foundation
import Testing
@testable import PhaseKit
@testable import PhaseKitAuthoring

/// `Bindings/` is generated from the registry; this fails when someone changes one without the other.
@Suite("Generated Lua API in sync")
struct BindingsInSyncTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func committedBindingsMatchTheRegistry() throws {
        let expected = BindingsWriter.files(registry: .standard)
        let directory = Self.repository.appendingPathComponent("Bindings")
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        #expect(present == Set(expected.keys), "run `make bindings` and commit Bindings/")
        for (name, text) in expected {
            let committed = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(committed == text, "Bindings/\(name) is stale: run `make bindings` and commit it")
        }
    }

    @Test func committedAPIReferenceMatchesTheRegistry() throws {
        let committed = try String(contentsOf: Self.repository.appendingPathComponent("docs/api.md"), encoding: .utf8)
        #expect(committed == APIReferenceGenerator.markdown(for: BindingRegistry.standard.forAuthoring),
                "docs/api.md is stale: run `make bindings` and commit it")
    }

    @Test func everyWriteBindingDocumentsItsAnalysisResult() {
        for binding in BindingRegistry.standard.bindings where binding.spec.effect == .write {
            #expect(binding.spec.analysisResult != nil, "\(binding.spec.qualifiedName) does not say what it returns in analysis")
        }
    }
}
