-- Step 12: Set all logical volumes as replicated.
-- On every server of the new configuration, each configured data volume gets the `replicated`
-- tag and its device special file dev/rLV_<volume>; volumes that are tagged but no longer
-- configured lose the tag (their data is kept; their device files go in step 17).
local model = require("configure.model")

return {
  title = "Set all logical volumes as replicated",
  section = "configure",
  order = 12,
  description = "Marks exactly the configured data volumes as replicated on every server of the group.",
  needs = { "volumes", "files" },
  scope = "once",

  applies = function(change, ctx)
    return change.initial or model.group_has(change, { "server_added", "server_removed", "volume_removed" })
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    for _, server in ipairs(change.new.servers) do
      local configured = model.expected_data(server)
      local pool = volumes.on(server.name)
      for _, volume in ipairs(pool.list{ tag = model.REPLICATED_TAG }) do
        if not configured[volume.name] then
          phase.log(server.name .. ": " .. volume.name .. " is no longer replicated")
          pool.untag(volume.name, model.REPLICATED_TAG)
        end
      end
      for _, spec in ipairs(server.volumes) do model.set_replicated(server.name, spec, change.group) end
    end
  end,
}
