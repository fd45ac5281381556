-- Step 9: Delete snapshot container logical volumes on S — recovery rows.
-- A snapshot container that was removed from the configuration or redefined is deleted (its
-- snapshots were deleted by step 8, which runs for the same change).

local model = require("configure.model")

return {
  title = "Delete snapshot container logical volumes on {server}",
  section = "configure",
  order = 9,
  description = "On a recovery server whose snapshot container was redefined or removed, deletes it.",
  needs = { "volumes" },
  scope = "recovery",

  applies = function(change, ctx)
    local diff = change.servers[ctx.server]
    return diff ~= nil and diff.status == "kept" and model.contains(diff.snapshots_changed, "snapshot_container")
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    -- Snapshots inside a container that goes must go first.
    local deleted = model.delete_stale(change, ctx.server, { snapshot = true, snapshot_container = true })
    phase.log(deleted .. " snapshot container and snapshot volume(s) deleted on " .. ctx.server)
  end,
}
