internal import Foundation
internal import FoundationXML

/// The resources of a `crm_mon --output-as=xml` report.
///
/// Only `<resource>` elements inside `<resources>` count; each remembers the `group`, `clone` and
/// `bundle` elements around it, so a service may name a primitive, a clone instance (`id:N`) or a
/// whole group or clone.
struct PacemakerClusterStatus: Sendable, Equatable {
    /// One `<resource>` element.
    struct Resource: Sendable, Equatable {
        var id: String
        var role: String
        var active: Bool
        var failed: Bool
        var blocked: Bool
        /// The ids of the enclosing group, clone or bundle elements, outermost first.
        var containers: [String]
    }

    /// Every resource instance in the report, in document order.
    var resources: [Resource]

    /// Parses a report.
    ///
    /// - Parameter xml: `crm_mon --output-as=xml` output.
    /// - Returns: the resources, or `nil` when the text is not well-formed XML with a `<resources>` element.
    static func parse(_ xml: String) -> PacemakerClusterStatus? {
        let collector = Collector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        guard parser.parse(), collector.sawResources else { return nil }
        return PacemakerClusterStatus(resources: collector.resources)
    }

    /// The state of a resource id, aggregated over its instances or members.
    ///
    /// - Parameter id: a primitive, clone or group id.
    /// - Returns: `nil` when the report has no such resource; otherwise failed if any instance failed
    ///   or is blocked, running if any is active in a started or promoted role, in transition while
    ///   any is starting, stopping or migrating, else stopped.
    func observed(_ id: String) -> ObservedState? {
        let matching = resources.filter { $0.id == id || $0.id.hasPrefix(id + ":") || $0.containers.contains(id) }
        guard !matching.isEmpty else { return nil }
        let detail = matching.map { "\($0.id) \($0.role)\($0.failed ? " (failed)" : "")" }.joined(separator: ", ")
        let transitional: Set<String> = ["Starting", "Stopping", "Migrating"]
        let running: Set<String> = ["Started", "Promoted", "Unpromoted", "Master", "Slave"]
        if matching.contains(where: { $0.failed || $0.blocked }) { return ObservedState(state: .failed, detail: detail) }
        if matching.contains(where: { transitional.contains($0.role) }) { return ObservedState(state: nil, detail: detail) }
        if matching.contains(where: { $0.active && running.contains($0.role) }) {
            return ObservedState(state: .running, detail: detail)
        }
        if matching.allSatisfy({ $0.role == "Stopped" && !$0.active }) { return ObservedState(state: .stopped, detail: detail) }
        return ObservedState(state: .unknown, detail: detail)
    }

    /// The XMLParser delegate that collects `<resource>` elements.
    private final class Collector: NSObject, XMLParserDelegate {
        var resources: [Resource] = []
        var sawResources = false
        private var depthInResources = 0
        private var containers: [String?] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "resources" {
                sawResources = true
                depthInResources += 1
                return
            }
            guard depthInResources > 0 else { return }
            switch name {
            case "group", "clone", "bundle":
                containers.append(attributes["id"])
            case "resource":
                resources.append(Resource(
                    id: attributes["id"] ?? "", role: attributes["role"] ?? "",
                    active: attributes["active"] == "true", failed: attributes["failed"] == "true",
                    blocked: attributes["blocked"] == "true", containers: containers.compactMap { $0 }))
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "resources" { depthInResources -= 1 }
            if depthInResources > 0, ["group", "clone", "bundle"].contains(name), !containers.isEmpty {
                containers.removeLast()
            }
        }
    }
}
