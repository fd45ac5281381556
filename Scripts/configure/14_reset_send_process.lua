-- Step 14: Reset Send process (LCA).
-- Restarts the production server's send process (site service `lca` unless the configuration
-- names another) so it reads the new configuration, and records the configuration signature it
-- was reset with in run/<service>.config; a process already reset for this configuration is
-- left alone, so the step is safe to run again.

return {
  title = "Reset Send process (LCA)",
  section = "configure",
  order = 14,
  description = "Restarts the send process on the production server with the new configuration.",
  needs = { "services", "files" },
  scope = "production",

  -- Anything that changes what production captures or where it sends it.
  applies = function(change, ctx)
    local model = require("configure.model")
    local diff = change.servers[ctx.server]
    if diff == nil or diff.status == "removed" then return false end
    return next(diff.kinds) ~= nil
      or model.group_has(change, { "server_added", "server_removed", "group_renamed", "volume_added", "volume_removed", "volume_resized" })
  end,

  run = function(ctx)
    require("configure.model").reset_process(ctx, "send process")
  end,
}
