-- Step 3: Delete internal logical volumes.
-- The production server's internal volume records the group's volume set and servers; when
-- either changes it is deleted here and rebuilt by step 11. Only an internal volume that does
-- not match the new configuration (name, size, group, layout tag) is deleted.

local model = require("configure.model")

return {
  title = "Delete internal logical volumes",
  section = "configure",
  order = 3,
  description = "Deletes the production server's internal volume when the group's volumes or servers changed.",
  needs = { "volumes" },
  scope = "production",

  applies = function(change, ctx)
    if change.servers[ctx.server] == nil or change.servers[ctx.server].status ~= "kept" then return false end
    return model.group_has(change, { "volume_added", "volume_removed", "volume_resized", "server_added", "server_removed" })
      or model.contains(change.servers[ctx.server].containers_changed, "internal_volume")
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local deleted = model.delete_stale(change, ctx.server, { internal = true })
    phase.log(deleted .. " internal volume(s) deleted on " .. ctx.server)
  end,
}
