-- Step 2: Copy configuration to S — one row per server of the new configuration.
-- Copies replication/new.yaml (kept in the production server's root) to etc/replication/group.yaml
-- on the server, unless the copy there is already identical.
local model = require("configure.model")

return {
  title = "Copy configuration to S",
  section = "configure",
  order = 2,
  description = "Copies the new configuration to etc/replication/group.yaml on each server of the group.",
  needs = { "files" },
  scope = "each",

  applies = function(change, ctx) return change.new.by_name[ctx.server] ~= nil end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local area = files.on(ctx.server)
    if area.exists(model.CONFIG_PATH) and area.read(model.CONFIG_PATH) == change.new_text then
      phase.log(ctx.server .. ": the configuration copy is current")
      return
    end
    phase.log("copy replication/new.yaml to " .. model.CONFIG_PATH .. " on " .. ctx.server)
    files.on(change.home).copy("replication/new.yaml", model.CONFIG_PATH, { to_server = ctx.server })
  end,
}
