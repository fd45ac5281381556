-- Step 15: Reset Apply process (ABA) on S — recovery rows of the new configuration.
-- Restarts the recovery server's apply process (site service `aba` unless the configuration
-- names another) and records the configuration signature in run/<service>.config, like step 14.
-- The helpers (lib/configure/model.lua) are required inside the functions: the catalog reads
-- this file without a search path.

return {
  title = "Reset Apply process (ABA) on S",
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
    local model = require("configure.model")
    local change = model.pending(ctx)
    if not change then return end
    if services == nil then
      error("this phasekit has no services module: the apply process cannot be reset")
    end
    local service = change.new.by_name[ctx.server].process.service
    local record = model.reset_record_path(service)
    if files.exists(record) and files.read(record) == change.new.signature .. "\n" then
      phase.log(service .. " on " .. ctx.server .. " already runs with configuration " .. change.new.signature)
      return
    end
    phase.log("reset apply process " .. service .. " on " .. ctx.server .. " (" .. services.status(service) .. ")")
    services.restart(service)
    files.write(record, change.new.signature .. "\n")
  end,
}
