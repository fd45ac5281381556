-- Step 2: Copy configuration to S — one row per server of the new configuration.
-- Writes the content of replication/new.yaml (kept in the production server's root, and carried
-- in change.new_text) to etc/replication/group.yaml on the server, unless the copy there is
-- already identical. The row writes through the server's own `files` so that its plan is its own.

local model = require("configure.model")

return {
  title = "Copy configuration to {server}",
  section = "configure",
  order = 2,
  description = "Copies the new configuration to etc/replication/group.yaml on each server of the group.",
  needs = { "files" },
  scope = "each",

  applies = function(change, ctx) return change.new.by_name[ctx.server] ~= nil end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    if files.exists(model.CONFIG_PATH) and files.read(model.CONFIG_PATH) == change.new_text then
      phase.log(ctx.server .. ": the configuration copy is current")
      return
    end
    phase.change("copy replication/new.yaml to " .. model.CONFIG_PATH .. " on " .. ctx.server, function()
      files.write(model.CONFIG_PATH, change.new_text)
    end)
  end,
}
