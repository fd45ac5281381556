-- Step 20: Verify configuration on S — one row per server of either configuration.
-- Checks that the server matches the new configuration (configuration copy, data volumes set
-- as replicated with their device files, containers and snapshots, drivers, no stale volumes,
-- device files or failover context; see lib/configure/verify.lua) and raises an issue per
-- mismatch. On the production row, once every server matches, it makes the new configuration
-- the saved one (replication/saved.yaml := replication/new.yaml): the next analysis then finds
-- nothing to do.

local model = require("configure.model")
local verify = require("configure.verify")

return {
  title = "Verify configuration on {server}",
  section = "configure",
  order = 20,
  description = "Checks each server against the new configuration; on production, saves the configuration once all match.",
  needs = { "volumes", "files" },
  scope = "each",

  applies = function(change, ctx) return change.servers[ctx.server] ~= nil end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local problems = verify.problems(change, ctx.server)
    for _, problem in ipairs(problems) do
      phase.issue{ summary = ctx.server .. ": " .. problem, resolution = "manual",
        detail = "the steps before this one should have fixed it; run the initialization again or fix it by hand" }
    end
    if #problems == 0 then phase.log(ctx.server .. " matches configuration " .. change.new.signature) end
    if ctx.server ~= change.production then return end
    if change.home ~= ctx.server then
      phase.issue{ summary = "configuration not saved: replication/ is kept on " .. change.home .. ", not on the production server",
        detail = "site.yaml must list the production server of the configuration as its production server", resolution = "manual" }
      return
    end

    -- Last act: save the configuration, only when every server of the change matches.
    local waiting = {}
    for name in pairs(change.servers) do
      if name ~= ctx.server and #verify.problems(change, name) > 0 then waiting[#waiting + 1] = name end
    end
    table.sort(waiting)
    if #problems > 0 or #waiting > 0 then
      if #waiting > 0 then
        phase.issue{ summary = "configuration not saved: " .. table.concat(waiting, ", ") .. " does not match it yet",
          detail = "see the Verify rows of those servers", resolution = "manual" }
      end
      return
    end
    if files.exists("replication/saved.yaml") and files.read("replication/saved.yaml") == change.new_text then
      phase.log("replication/saved.yaml is the new configuration")
      return
    end
    phase.change("save the configuration: replication/new.yaml becomes replication/saved.yaml", function()
      files.copy("replication/new.yaml", "replication/saved.yaml")
    end)
  end,
}
