-- Step 8: Delete snapshot logical volumes on S — recovery rows.
-- Snapshots that are no longer configured, were redefined, or copy a volume that was removed or
-- resized are deleted here; step 11 takes the configured ones again.

local model = require("configure.model")

return {
  title = "Delete snapshot logical volumes on {server}",
  section = "configure",
  order = 8,
  description = "On a recovery server whose snapshots or volumes changed, deletes the snapshots that no longer match.",
  needs = { "volumes" },
  scope = "recovery",

  applies = function(change, ctx)
    return model.status(change, ctx.server) == "kept"
      and model.server_has(change, ctx.server, { "snapshot_changed", "volume_removed", "volume_resized" })
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local deleted = model.delete_stale(change, ctx.server, { snapshot = true })
    phase.log(deleted .. " snapshot(s) deleted on " .. ctx.server)
  end,
}
