-- Step 17: Delete logical volume device special files on S — one row per server.
-- Removes dev/rLV_<volume> for every volume that is no longer replicated on the server (all of
-- them on a server that leaves the group).

local model = require("configure.model")

return {
  title = "Delete logical volume device special files on {server}",
  section = "configure",
  order = 17,
  description = "Deletes the device special files of volumes no longer replicated on the server.",
  needs = { "files" },
  scope = "each",

  applies = function(change, ctx)
    return model.status(change, ctx.server) == "removed" or model.server_has(change, ctx.server, { "volume_removed" })
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local configured = model.expected_data(change.new.by_name[ctx.server])
    local names = {}
    for volume_name in pairs(model.device_files(ctx.server)) do names[#names + 1] = volume_name end
    table.sort(names)
    for _, volume_name in ipairs(names) do
      if not configured[volume_name] then
        phase.change("delete device special file " .. model.device_path(volume_name) .. " on " .. ctx.server, function()
          files.remove(model.device_path(volume_name))
        end)
      end
    end
  end,
}
