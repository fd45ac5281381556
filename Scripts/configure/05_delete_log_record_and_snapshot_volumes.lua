-- Step 5: Delete log record file container and snapshot logical volumes on S — recovery rows.
-- The log record file container holds writes shipped for the old volume set and the snapshots
-- were taken against it: when a volume is removed or resized, or the container's definition
-- changes, both are deleted here and rebuilt by step 11.

local model = require("configure.model")

return {
  title = "Delete log record file container and snapshot logical volumes on {server}",
  section = "configure",
  order = 5,
  description = "On a recovery server whose volumes shrank or changed, deletes the log record file container and the snapshots.",
  needs = { "volumes" },
  scope = "recovery",

  applies = function(change, ctx)
    local diff = change.servers[ctx.server]
    return diff ~= nil and diff.status == "kept"
      and (model.server_has(change, ctx.server, { "volume_removed", "volume_resized" })
        or model.contains(diff.containers_changed, "log_record_container"))
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local deleted = model.delete_stale(change, ctx.server, { log_record_container = true, snapshot = true })
    phase.log(deleted .. " log record file container and snapshot volume(s) deleted on " .. ctx.server)
  end,
}
