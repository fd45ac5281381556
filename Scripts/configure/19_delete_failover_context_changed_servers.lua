-- Step 19: Delete failover context on S (production server or recovery server) — rows of the
-- servers staying in the group whose volumes, containers or process changed: their failover
-- context lists the old volumes, so one that does not name the server's new failover tag is deleted.

local model = require("configure.model")

return {
  title = "Delete failover context on {server} (changed servers)",
  section = "configure",
  order = 19,
  description = "Deletes the failover context of a server whose volumes, containers or process changed.",
  needs = { "files" },
  scope = "each",

  applies = function(change, ctx)
    return change.new.by_name[ctx.server] ~= nil and model.server_has(change, ctx.server,
      { "volume_added", "volume_removed", "volume_resized", "container_changed", "snapshot_changed", "process_changed" })
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    model.delete_stale_failover(change, ctx.server)
  end,
}
