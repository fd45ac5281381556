import PhaseKit

extension PhaseKitCommand.Run: JSONReporting {
    var wantsJSON: Bool { siteOptions.json }
    var reportTarget: String { target }
    var reportMode: RunMode { execute ? .execute : .analyze }
    var reportSite: String? { siteOptions.directory }
}

extension PhaseKitCommand.Resume: JSONReporting {
    var wantsJSON: Bool { siteOptions.json }
    var reportTarget: String { "resume" }
    var reportMode: RunMode { .execute }
    var reportSite: String? { siteOptions.directory }
}

extension PhaseKitCommand.Status: JSONReporting {
    var wantsJSON: Bool { siteOptions.json }
    var reportTarget: String { "status" }
    var reportSite: String? { siteOptions.directory }
}

extension PhaseKitCommand.History: JSONReporting {
    var wantsJSON: Bool { siteOptions.json }
    var reportTarget: String { "history" }
    var reportSite: String? { siteOptions.directory }
}

extension PhaseKitCommand.List: JSONReporting {
    var wantsJSON: Bool { siteOptions.json }
    var reportTarget: String { "list" }
    var reportSite: String? { siteOptions.directory }
}

extension PhaseKitCommand.Hosts.Check: JSONReporting {
    var wantsJSON: Bool { siteOptions.json }
    var reportTarget: String { "hosts" }
    var reportSite: String? { siteOptions.directory }
}

extension PhaseKitCommand.Services.Status: JSONReporting {
    var wantsJSON: Bool { siteOptions.json }
    var reportTarget: String { "services" }
    var reportSite: String? { siteOptions.directory }
}

extension PhaseKitCommand.Services.Stop: JSONReporting {
    var wantsJSON: Bool { siteOptions.json }
    var reportTarget: String { "services" }
    var reportMode: RunMode { .execute }
    var reportSite: String? { siteOptions.directory }
}
