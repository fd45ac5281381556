-- Step 7: Delete all containers and logical volumes on S — recovery rows.
-- For a recovery server removed from the group: deletes every volume of the group there
-- (snapshots, containers, the replicas of the data volumes: every volume either configuration
-- names for the server, and every non-data volume carrying a layout tag). Volumes the group does
-- not know are left alone. The apply process's reset record (run/<service>.config) goes too:
-- the process no longer applies the group's configuration, and should the server rejoin the
-- group, step 15 must reset it even when the configuration is the one it left with.

local model = require("configure.model")

return {
  title = "Delete all containers and logical volumes on {server}",
  section = "configure",
  order = 7,
  description = "On a recovery server removed from the group, deletes the group's containers, snapshots and replica volumes.",
  needs = { "volumes", "files" },
  scope = "recovery",

  applies = function(change, ctx)
    return model.status(change, ctx.server) == "removed"
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local deleted = model.delete_stale(change, ctx.server, {
      snapshot = true, snapshot_container = true, replication_container = true, log_record_container = true, internal = true,
    })
    local pool = volumes.on(ctx.server)
    for _, volume in ipairs(pool.list{ role = "data" }) do
      if model.owned(change, ctx.server, volume) then
        phase.change("delete replica volume " .. volume.name .. " on " .. ctx.server .. ": the server leaves the group", function()
          pool.delete(volume.name)
        end)
        deleted = deleted + 1
      end
    end
    phase.log(deleted .. " volume(s) deleted on " .. ctx.server)
    local record = model.reset_record_path(model.saved_server(change, ctx.server).process.service)
    if files.exists(record) then
      phase.change("delete " .. record .. " on " .. ctx.server .. ": its process no longer applies the group's configuration", function()
        files.remove(record)
      end)
    end
  end,
}
