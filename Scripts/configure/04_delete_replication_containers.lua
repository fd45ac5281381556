-- Step 4: Delete replication container logical volumes on S — one row per server.
-- A replication container holds the replication state of the server's data volumes; when they
-- change (added, removed, resized) or the container's own definition changes, the old container
-- is deleted here and step 11 creates the new one.

local model = require("configure.model")

return {
  title = "Delete replication container logical volumes on {server}",
  section = "configure",
  order = 4,
  description = "Deletes the replication container of a server whose data volumes or container definition changed.",
  needs = { "volumes" },
  scope = "each",

  applies = function(change, ctx)
    local diff = change.servers[ctx.server]
    return diff ~= nil and diff.status == "kept"
      and (model.server_has(change, ctx.server, { "volume_added", "volume_removed", "volume_resized" })
        or model.contains(diff.containers_changed, "replication_container"))
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local deleted = model.delete_stale(change, ctx.server, { replication_container = true })
    phase.log(deleted .. " replication container(s) deleted on " .. ctx.server)
  end,
}
