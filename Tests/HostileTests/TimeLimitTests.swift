import Databases
import Foundation
import TestSupport
import Testing

/// One attack on the time limit: a script, and what the run must say when it ends.
struct TimeLimitAttack: CustomStringConvertible, Sendable {
    let name: String
    let source: String
    /// The run's output must contain one of these (the limit, or the error that ended it first)...
    let says: [String]
    /// ... and all of these (where it struck).
    let names: [String]

    var description: String { name }

    init(_ name: String, _ source: String, says: [String] = ["time limit exceeded"], names: [String] = []) {
        self.name = name
        self.source = source
        self.says = says
        self.names = names
    }

    static let lenHuge = "setmetatable({}, { __len = function() return 1 << 62 end })"
    static let sortable = "setmetatable({}, { __len = function() return (1 << 31) - 2 end, __index = rawlen })"
    static let recursive = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"

    static let all: [TimeLimitAttack] = [
        // The reported attacks: C library loops, the parser, SQLite.
        .init("string_rep_of_nothing_forever", "while true do string.rep('', math.maxinteger) end"),
        .init("table_move_huge_range", "table.move({}, 1, 1 << 62, 1, {})"),
        .init("table_insert_under_huge_len", "table.insert(\(lenHuge), 1, 'x')"),
        .init("table_remove_under_huge_len", "table.remove(\(lenHuge), 1)"),
        .init("table_sort_under_huge_len", "table.sort(\(sortable))", says: ["time limit exceeded", "memory limit exceeded"]),
        .init("load_of_100000_elseif", """
              local parts = { "local x = ... if x == 0 then return 0" }
              for i = 1, 100000 do parts[#parts + 1] = "elseif x == " .. i .. " then return " .. i end
              parts[#parts + 1] = "end"
              local f = load(table.concat(parts, "\\n"))
              """, names: ["while compiling"]),
        .init("sqlite_recursive_cte", "db.value('SELECT count(*) FROM (\(recursive) SELECT x FROM c)')",
              names: ["db.value", "WITH RECURSIVE"]),
        .init("sqlite_cross_join_order_by_random",
              "db.value('SELECT count(*) FROM (SELECT a.x, b.x, randomblob(100) FROM nums a, nums b ORDER BY random())')",
              says: ["out of memory", "time limit exceeded"]),
        // Our own.
        .init("string_rep_with_separator_past_memory", "local s = string.rep('x', 1 << 29, ',')", says: ["memory limit exceeded"]),
        .init("table_concat_huge_range", "table.concat(setmetatable({}, { __index = rawlen }), '', 1, 1 << 62)"),
        .init("table_concat_huge_separator", "table.concat(setmetatable({}, { __index = rawlen }), string.rep('s', 1 << 20), 1, 1 << 62)",
              says: ["memory limit exceeded"]),
        .init("table_unpack_in_a_loop", "local t = setmetatable({}, { __index = rawlen }) while true do table.unpack(t, 1, 500000) end"),
        .init("table_sort_with_a_c_order_function", "table.sort(\(sortable), rawequal)",
              says: ["time limit exceeded", "memory limit exceeded"]),
        .init("pcall_around_table_move", "while true do pcall(table.move, {}, 1, 1 << 62, 1, {}) end"),
        .init("table_move_in_a_coroutine", "coroutine.wrap(function() table.move({}, 1, 1 << 62, 1, {}) end)()"),
        .init("table_move_in_an_xpcall_handler", "xpcall(error, function() table.move({}, 1, 1 << 62, 1, {}) end)"),
        .init("load_reader_that_never_ends",
              "local n = 0 local f, e = load(function() n = n + 1 return n == 1 and 'return 0' or ' -- more\\n' end) error(e)",
              says: ["chunk larger than"]),
        .init("load_of_a_chunk_past_the_size_limit", "local f, e = load(string.rep(' ', 5 << 20)) error(e)", says: ["chunk larger than"]),
        .init("require_of_a_quadratic_module", "require('quadratic')", names: ["while compiling", "quadratic.lua"]),
        .init("require_of_a_module_past_the_size_limit", "require('huge')", says: ["huge.lua is larger than"]),
        .init("os_date_with_a_huge_format", "os.date(string.rep('%c', 1 << 20))", says: ["format is longer"]),
        .init("sqlite_rows_iterator_that_never_yields",
              "for row in db.rows('\(recursive) SELECT x FROM c WHERE x < 0') do end", names: ["db.rows"]),
        .init("sqlite_write_with_endless_subquery",
              "db.exec('UPDATE nums SET x = x WHERE x IN (\(recursive) SELECT x FROM c WHERE x < 0)')",
              names: ["db.exec"]),
        .init("sqlite_five_way_cross_join", "db.value('SELECT count(*) FROM nums a, nums b, nums c, nums d, nums e')",
              names: ["db.value"]),
    ]

}

/// Every run ends within its time limit plus the grace, exit 1, saying which limit and where:
/// whatever runs, Lua, a C library function, the parser or SQLite (see docs/runtime.md).
@Suite("The time limit holds whatever runs")
struct TimeLimitTests {
    @Test("An attack ends with exit 1 within the time limit plus the grace, saying what stopped it", arguments: TimeLimitAttack.all)
    func anAttackEndsWithinTheLimit(attack: TimeLimitAttack) throws {
        let site = try TimeLimitSite()
        defer { site.tearDown() }
        let outcome = try site.run(attack.name, attack.source)
        #expect(outcome.endedCleanlyWithinTheLimit, "\(attack.name): \(outcome)")
        #expect(attack.says.contains { outcome.text.contains($0) }, "\(attack.name): \(outcome)")
        for word in attack.names { #expect(outcome.text.contains(word), "\(attack.name) does not name \(word): \(outcome)") }
        if outcome.text.contains("time limit exceeded") {
            #expect(outcome.text.contains("\(site.directory)/\(attack.name).lua:"), "\(attack.name) does not name the script line: \(outcome)")
        }
    }

    @Test func aRunStoppedInsideSQLiteLeavesTheDatabaseUnlockedAndUnchanged() throws {
        let site = try TimeLimitSite()
        defer { site.tearDown() }
        let outcome = try site.run("locked", """
            db.exec("INSERT INTO nums VALUES (-1)")
            db.value("SELECT count(*) FROM (\(TimeLimitAttack.recursive) SELECT x FROM c)")
            """, ["--execute", "--yes"])
        #expect(outcome.endedCleanlyWithinTheLimit, "\(outcome)")
        #expect(outcome.text.contains("time limit exceeded"), "\(outcome)")
        let connection = try SQLiteConnection(path: site.directory + "/cms.db", busyTimeoutMilliseconds: 100)
        defer { connection.close() }
        try connection.beginTransaction()
        _ = try connection.execute("INSERT INTO nums VALUES (-2)", [])
        try connection.commit()
        let cursor = try connection.prepare("SELECT count(*) FROM nums WHERE x = -1", [])
        defer { cursor.close() }
        #expect(try cursor.next()?.first == .integer(0), "the timed-out step's write was rolled back")
    }

    @Test func aServiceWaitEndsAtTheDeadline() throws {
        let site = try TimeLimitSite()
        defer { site.tearDown() }
        // The service ignores SIGTERM: stopping it would wait 5 s before SIGKILL, past the 3 s limit.
        let outcome = try site.run("stubborn", "services.start('stubborn') services.stop('stubborn')", ["--execute", "--yes"])
        #expect(outcome.endedCleanlyWithinTheLimit, "\(outcome)")
        // "in services.stop: <its timed-out wait>", or "during services.stop" when it finished at the deadline.
        #expect(outcome.text.contains("stubborn.lua:1: time limit exceeded ("), "\(outcome)")
        #expect(outcome.text.contains(" services.stop"), "\(outcome)")
    }

    @Test(.enabled(if: BuiltPhasekit.injectsFaults, "fault injection is compiled into debug builds only"))
    func theBackstopEndsWorkThatNeverReturnsAndFreesTheSiteLock() throws {
        let site = try TimeLimitSite()
        defer { site.tearDown() }
        // The fault injection blocks the process right after the write, as a hung system call would.
        let path = try site.script("hung", "files.write('hung.txt', 'x')")
        let outcome = try LimitedChild.run(["run", path, "--site", site.directory, "--execute", "--yes"] + LimitedChild.limitFlags,
                                           killAfter: 30, environment: ["PHASEKIT_HANG_AT": "write:1"])
        #expect(outcome.endedCleanlyWithinTheLimit, "\(outcome)")
        #expect(outcome.error.contains("phasekit: time limit exceeded: files.write called at \(path):1 did not stop"), "\(outcome)")
        let again = try site.run("after", "phase.log('the lock is free')")
        #expect(again.status == 0, "\(again)")
    }

    /// A step whose top level loops in C (`table.move` over 2^62 indices, no Lua instruction).
    static let hangingStep = "table.move({}, 1, 1 << 62, 1, {})\nreturn { title = 'hang', description = 'd', order = 1, run = function() end }\n"
    static let fineStep = "return { title = 'fine', description = 'd', order = 2, run = function() end }\n"

    @Test("list, show and lint read metadata within the time limit and name the file that used it up",
          arguments: [["list", "sync"], ["show", "sync/b_fine"], ["run", "sync"]])
    func metadataIsReadWithinTheLimit(command: [String]) throws {
        let site = try TimeLimitSite(steps: ["sync/a_hang.lua": Self.hangingStep, "sync/b_fine.lua": Self.fineStep])
        defer { site.tearDown() }
        let outcome = try LimitedChild.run(command + ["--site", site.directory] + LimitedChild.limitFlags, killAfter: 30)
        #expect(outcome.endedCleanlyWithinTheLimit, "\(outcome)")
        #expect(outcome.text.contains("a_hang.lua:1: time limit exceeded"), "\(outcome)")
    }

    @Test func lintBlamesTheFileThatUsedUpTheTime() throws {
        let site = try TimeLimitSite(steps: ["sync/a_hang.lua": Self.hangingStep, "sync/b_fine.lua": Self.fineStep])
        defer { site.tearDown() }
        let outcome = try LimitedChild.run(["lint", site.directory + "/scripts/sync"] + LimitedChild.limitFlags, killAfter: 30)
        #expect(outcome.endedCleanlyWithinTheLimit, "\(outcome)")
        #expect(outcome.output.contains("a_hang.lua:1: time limit exceeded"), "\(outcome)")
        #expect(outcome.output.contains("b_fine.lua:1: not read: the time limit was used up by \(site.directory)/scripts/sync/a_hang.lua"), "\(outcome)")
    }
}
