-- Step 10: Delete replication container, snapshot, and log record file container logical volumes.
-- When servers join or leave the group, every container and snapshot of the remaining servers
-- describes the old server list: they are all deleted here, on every server staying in the
-- group, and step 11 rebuilds them.
local model = require("configure.model")

return {
  title = "Delete replication container, snapshot, and log record file container logical volumes",
  section = "configure",
  order = 10,
  description = "When servers join or leave the group, deletes the containers and snapshots of every remaining server.",
  needs = { "volumes" },
  scope = "once",

  applies = function(change, ctx) return model.group_has(change, { "server_added", "server_removed" }) end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    for _, server in ipairs(change.new.servers) do
      if model.status(change, server.name) == "kept" then
        local deleted = model.delete_stale(change, server.name,
          { snapshot = true, replication_container = true, log_record_container = true })
        phase.log(deleted .. " container and snapshot volume(s) deleted on " .. server.name)
      end
    end
  end,
}
