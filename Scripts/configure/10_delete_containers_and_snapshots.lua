-- Step 10: Delete replication container, snapshot, and log record file container logical volumes.
-- When servers join or leave the group, or the replicated volumes change, the containers and
-- snapshots of the servers staying in the group describe the old server list or volume set
-- (their layout tag differs): those are deleted here, on every such server, and step 11
-- rebuilds them. This is the step that takes care of the production log record file container.
-- (One row per server: a row plans only what it does on its own server.)

local model = require("configure.model")

return {
  title = "Delete replication container, snapshot, and log record file container logical volumes",
  section = "configure",
  order = 10,
  description = "When servers or volumes change, deletes the containers and snapshots that describe the old group on every remaining server.",
  needs = { "volumes" },
  scope = "each",

  applies = function(change, ctx)
    return model.status(change, ctx.server) == "kept"
      and model.group_has(change, { "server_added", "server_removed", "volume_added", "volume_removed", "volume_resized" })
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local deleted = model.delete_stale(change, ctx.server,
      { snapshot = true, replication_container = true, log_record_container = true })
    phase.log(deleted .. " container and snapshot volume(s) deleted on " .. ctx.server)
  end,
}
