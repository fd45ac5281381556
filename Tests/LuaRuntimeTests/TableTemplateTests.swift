import Testing
@testable import LuaRuntime

@Suite("Table templates: converted once, copied for every use")
struct TableTemplateTests {
    let lua: LuaState
    init() throws { lua = try LuaState() }

    static var sample: LuaTable { LuaTable(array: [.text("a"), .table(LuaTable(array: [.integer(1), .integer(2)]))], fields: [
        .text("servers"): .table(LuaTable(["production": .table(LuaTable(["volumes": .table(LuaTable(array: [.text("lv_1"), .text("lv_2")]))]))])),
        .text("ratio"): .number(0.5), .text("on"): .boolean(true), .integer(10): .text("ten"),
    ]) }

    @Test func aCopyReadsBackAsTheTableItWasMadeFrom() throws {
        let template = try lua.makeTemplate(Self.sample)
        let identity = try lua.load(source: "return ...", chunkName: "=identity")
        #expect(try lua.call(identity, [.copy(of: template)]) == [.table(Self.sample)])
    }

    @Test func everyCopyIsItsOwnTableAllTheWayDown() throws {
        let template = try lua.makeTemplate(Self.sample)
        let mutate = try lua.load(source: """
            local first, second = ...
            first.servers.production.volumes[1] = "changed"
            first[2][1] = 99
            first.extra = true
            return first ~= second, first.servers ~= second.servers, second.servers.production.volumes[1], second[2][1], second.extra
            """, chunkName: "=mutate")
        #expect(try lua.call(mutate, [.copy(of: template), .copy(of: template)]) == [
            .boolean(true), .boolean(true), .text("lv_1"), .integer(1), .nil,
        ])
        let identity = try lua.load(source: "return ...", chunkName: "=identity")
        #expect(try lua.call(identity, [.copy(of: template)]) == [.table(Self.sample)], "the template itself is untouched")
    }

    @Test func copiesHaveNoMetatableAndKeepTheSequenceLength() throws {
        let template = try lua.makeTemplate(LuaTable(array: (1...50).map { .integer($0) }))
        let check = try lua.load(source: "local t = ... return getmetatable(t) == nil, #t, t[50]", chunkName: "=check")
        #expect(try lua.call(check, [.copy(of: template)]) == [.boolean(true), .integer(50), .integer(50)])
    }

    @Test func aTemplateBelongsToTheStateThatMadeIt() throws {
        let other = try LuaState()
        let template = try other.makeTemplate(Self.sample)
        let identity = try lua.load(source: "return ...", chunkName: "=identity")
        #expect(throws: LuaError.self) { try lua.call(identity, [.copy(of: template)]) }
    }
}
