import Foundation

/// The documented skeleton `phasekit new` writes.
public enum StepTemplate {
    /// A step script for `procedure/[section/]name`.
    public static func text(for step: String) -> String {
        let parts = step.split(separator: "/").map(String.init)
        let section = parts.count == 3 ? parts[1] : parts[0]
        let name = parts.last ?? step
        let order = Int(name.prefix { $0.isNumber }) ?? 50
        return """
            -- \(step).lua: a site step. phasekit runs it in analysis by default: every write binding
            -- (db.exec, volumes.create, files.write, services.stop, ...) is recorded as a planned change
            -- and acts only on the planned world; with --execute the same code applies for real.
            -- Write it so that running it again after execution plans nothing (check, then act).
            -- API: Bindings/*.lua (LuaCATS, for lua-language-server) and docs/api.md, in the repository or
            -- beside the installed scripts (<prefix>/share/phasekit); guide: docs/authoring.md.

            ---@type phasekit.Step
            return {
              title = "\(name.replacingOccurrences(of: "_", with: " "))",
              section = "\(section)",
              order = \(order),
              description = "What this step checks and what it changes, for phasekit show.",
              needs = { "db" },   -- resources used: db, files, services, volumes, hosts

              -- ctx.mode ("analyze"/"execute"), ctx.params (site.yaml parameters of the procedure),
              -- ctx.server (the server this row runs for), ctx.step (this step's id)
              run = function(ctx)
                local count = db.value("SELECT count(*) FROM sqlite_master")
                phase.log(ctx.step .. ": " .. tostring(count) .. " tables")
                -- Report what needs attention:
                -- phase.issue{ summary = "...", detail = "...", resolution = "planned" }  -- fixed by this step's changes
                -- phase.issue{ summary = "...", resolution = "manual" }                   -- an operator must act
                -- Say what a write does, in operator terms (shown at Proceed? [y/N] and in reports):
                -- phase.change("mark request 42 terminated", function() db.exec("UPDATE ...", ...) end)
              end,
            }

            """
    }
}
