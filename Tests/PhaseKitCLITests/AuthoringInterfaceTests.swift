import Foundation
import Testing

/// Authoring helpers as the built binary and the Makefile provide them: `new` over a bundled step,
/// the installed layout with the Lua API, and shell completion.
@Suite("Authoring interfaces", .serialized)
struct AuthoringInterfaceTests {
    @Test func newOnABundledStepCopiesItAndSaysSo() throws {
        let site = try CLITests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        let result = try CLITests.phasekit(["new", "sync/io/3_mark_allocated_addresses", "--site", site])
        #expect(result.status == 0)
        let copy = site + "/scripts/sync/io/3_mark_allocated_addresses.lua"
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == copy)
        #expect(result.error.contains("copied the bundled step"), "\(result.error)")
        let bundled = CLITests.repository.appendingPathComponent("Scripts/sync/io/3_mark_allocated_addresses.lua").path
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: bundled))
        let list = try CLITests.phasekit(["list", "sync", "--site", site])
        #expect(list.output.contains("3_mark_allocated_addresses\tMark addresses allocated after the backup\t[site override]"), "\(list.output)")
    }

    @Test func installFilesPutsTheLuaAPIAndCompletionBesideTheScripts() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let make = try CLITests.phasekit(["-C", CLITests.repository.path, "install-files", "PREFIX=\(prefix)", "BIN=\(CLITests.binary.path)"],
                                         executable: URL(fileURLWithPath: "/usr/bin/make"))
        #expect(make.status == 0, "\(make.output)\(make.error)")
        for file in ["bin/phasekit", "share/phasekit/Scripts/sync/procedure.lua", "share/phasekit/Bindings/phase.lua",
                     "share/phasekit/Bindings/.luarc.json", "share/phasekit/docs/api.md", "share/phasekit/Samples/site.yaml",
                     "share/bash-completion/completions/phasekit", "share/zsh/site-functions/_phasekit"] {
            #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file)")
        }
        let list = try CLITests.phasekit(["list"], executable: URL(fileURLWithPath: prefix + "/bin/phasekit"), directory: "/",
                                         environment: InterfaceTests.environment())
        #expect(list.status == 0 && list.output.contains("sync\t"))
        // The sample site's data files are found beside the scripts.
        let site = prefix + "/sample"
        let sample = try CLITests.phasekit(["sample-site", site, "--no-services"], executable: URL(fileURLWithPath: prefix + "/bin/phasekit"),
                                           directory: "/", environment: InterfaceTests.environment())
        #expect(sample.status == 0, "\(sample.output)\(sample.error)")
        #expect(FileManager.default.fileExists(atPath: site + "/servers/production/replication/new.yaml"))
    }

    @Test func completionOffersProcedureNamesAndSiteDirectories() throws {
        let site = try CLITests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        try FileManager.default.createDirectory(atPath: site + "/scripts/audit", withIntermediateDirectories: true)
        try "return { title = 'Audit' }\n".write(toFile: site + "/scripts/audit/procedure.lua", atomically: true, encoding: .utf8)
        // What the generated bash script asks the binary for `phasekit run --site SITE <TAB>`.
        let names = try CLITests.phasekit(["---completion", "run", "--", "positional@0", "4", "0", "phasekit", "run", "--site", site, ""])
        #expect(names.output.split(separator: "\n") == ["audit", "configure", "sync"], "\(names.output)\(names.error)")
        let prefixed = try CLITests.phasekit(["---completion", "run", "--", "positional@0", "2", "1", "phasekit", "run", "s"])
        #expect(prefixed.output.split(separator: "\n") == ["sync"])
        let script = try CLITests.phasekit(["--generate-completion-script", "bash"])
        #expect(script.output.contains("'--site')\n        __phasekit_add_completions -d"))
    }

    @Test func lintReportsEveryProblemAtItsLine() throws {
        let site = try CLITests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        let procedure = site + "/scripts/demo"
        try FileManager.default.createDirectory(atPath: procedure, withIntermediateDirectories: true)
        try "return {\n  title = \"Demo\",\n  interuptible = false,\n  confirm = \"twice\",\n}\n"
            .write(toFile: procedure + "/procedure.lua", atomically: true, encoding: .utf8)
        try """
            -- db.exec(42) in a comment is not code
            return {
              title = "A step",
              description = "Checks things.",
              order = "first",
              needs = { "db" },
              colour = "red",
              run = function(ctx)
                db.value(42)
                volumes.create("lv1")
                db.exec("UPDATE t SET a = 1", 1, 2)
                return files.exists(true)
              end,
            }

            """.write(toFile: procedure + "/1_step.lua", atomically: true, encoding: .utf8)
        let loose = try CLITests.script("return {\n  title = 'loose',\n  order = 1,\n  run = function(ctx) return hosts.list() end,\n}\n")
        defer { try? FileManager.default.removeItem(atPath: loose) }
        let result = try CLITests.phasekit(["lint", site + "/scripts", loose])
        #expect(result.status == 1)
        let step = procedure + "/1_step.lua", manifest = procedure + "/procedure.lua"
        let expected = [
            "\(step):5: 'order' must be an integer",
            "\(step):7: unknown step field 'colour' (expected: applies, description, needs, order, run, scope, section, title)",
            "\(step):9: db.value: argument 1 (sql) must be string, not a number literal",
            "\(step):10: volumes.create: argument 1 (volume) must be phasekit.volumes.CreateOpts, not a string literal",
            "\(step):10: uses volumes.* but 'needs' does not list \"volumes\"",
            "\(step):12: files.exists: argument 1 (path) must be string, not a boolean literal",
            "\(step):12: uses files.* but 'needs' does not list \"files\"",
            "\(manifest):3: unknown procedure.lua field 'interuptible' (did you mean 'interruptible'?) (expected: change, confirm, description, interruptible, roles, sections, title)",
            "\(manifest):4: confirm must be \"once\" or \"phase\"",
            "\(loose):1: 'description' must be a non-empty string",
            "\(loose):4: uses hosts.* but 'needs' does not list \"hosts\"",
        ]
        for line in expected { #expect(result.output.contains(line + "\n"), "missing: \(line)\n\(result.output)") }
        #expect(!result.output.contains(":1: db.exec"))
        // The misspelt key is not ignored by a run either.
        let run = try CLITests.phasekit(["run", "demo", "--site", site])
        #expect(run.status == 1)
        #expect(run.error.contains("unknown procedure.lua field 'interuptible'"), "\(run.error)")
    }

    @Test func bindingsDeclareWhatAScriptIsGivenAndTheClosedSetsOfTheSwiftTypes() throws {
        let directory = try InterfaceTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try CLITests.phasekit(["bindings", "--out", directory]).status == 0)
        let types = try String(contentsOfFile: directory + "/types.lua", encoding: .utf8)
        let phase = try String(contentsOfFile: directory + "/phase.lua", encoding: .utf8)
        #expect(phase.contains("---@field mode phasekit.Mode") && phase.contains("---@field params table<string, any>"))
        for declaration in ["---@class phasekit.Context", "---@field server string", "---@class phasekit.Step",
                            "---@field run fun(ctx: phasekit.Context)", "---@class phasekit.Procedure", "---@field interruptible? boolean",
                            "---@field roles? string[]", "---@field change? string", "---@field role string",
                            "---@field scope? \"once\"|\"each\"|string"] {
            #expect(types.contains(declaration), "\(declaration)")
        }
    }
}
