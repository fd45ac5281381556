-- Step 6: Delete replication container and snapshot logical volumes on S — recovery rows.
-- When a recovery server's replication container is redefined (name, size or volume group),
-- its snapshots, which refer to the container's state, go with it.

local model = require("configure.model")

return {
  title = "Delete replication container and snapshot logical volumes on {server}",
  section = "configure",
  order = 6,
  description = "On a recovery server whose replication container was redefined, deletes the container and the snapshots.",
  needs = { "volumes" },
  scope = "recovery",

  applies = function(change, ctx)
    local diff = change.servers[ctx.server]
    return diff ~= nil and diff.status == "kept" and model.contains(diff.containers_changed, "replication_container")
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local deleted = model.delete_stale(change, ctx.server, { replication_container = true, snapshot = true })
    phase.log(deleted .. " replication container and snapshot volume(s) deleted on " .. ctx.server)
  end,
}
