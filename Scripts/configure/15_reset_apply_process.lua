-- Step 15: Reset Apply process (ABA) on S — recovery rows of the new configuration.
-- Restarts the recovery server's apply process (site service `aba` unless the configuration
-- names another) and records the configuration signature in run/<service>.config, like step 14.

return {
  title = "Reset Apply process (ABA) on {server}",
  section = "configure",
  order = 15,
  description = "Restarts the apply process on each recovery server with the new configuration.",
  needs = { "services", "files" },
  scope = "recovery",

  applies = function(change, ctx)
    local model = require("configure.model")
    local diff = change.servers[ctx.server]
    if diff == nil or diff.status == "removed" then return false end
    return next(diff.kinds) ~= nil
      or model.group_has(change, { "server_added", "server_removed", "group_renamed", "volume_added", "volume_removed", "volume_resized" })
  end,

  run = function(ctx)
    require("configure.model").reset_process(ctx, "apply process")
  end,
}
