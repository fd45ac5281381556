-- Step 12: Set all logical volumes as replicated.
-- On each server of the new configuration (one row per server), each configured data volume gets the `replicated`
-- tag and its device special file dev/rLV_<volume>; volumes that are tagged but no longer
-- configured lose the tag (their data is kept; their device files go in step 17).

local model = require("configure.model")

return {
  title = "Set all logical volumes as replicated",
  section = "configure",
  order = 12,
  description = "Marks exactly the configured data volumes as replicated on every server of the group.",
  needs = { "volumes", "files" },
  scope = "each",

  applies = function(change, ctx)
    if change.new.by_name[ctx.server] == nil then return false end
    return change.initial or model.group_has(change, { "server_added", "server_removed", "volume_removed" })
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local server = change.new.by_name[ctx.server]
    local configured = model.expected_data(server)
    for _, volume in ipairs(volumes.list{ tag = model.REPLICATED_TAG }) do
      if not configured[volume.name] then
        phase.change(ctx.server .. ": " .. volume.name .. " is no longer replicated", function()
          volumes.untag(volume.name, model.REPLICATED_TAG)
        end)
      end
    end
    for _, spec in ipairs(server.volumes) do model.set_replicated(ctx.server, spec, change.group) end
  end,
}
